import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router-dom';
import type { SubjectRecord } from '../../lib/record';

// Ant Design's responsive pieces ask the browser for media queries; jsdom has none
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => undefined,
  removeListener: () => undefined,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
  dispatchEvent: () => false,
})) as never;

const RECORD: SubjectRecord = {
  identifier: '91330106MA2H7QK4XQ',
  measures: [],
  entries: [
    {
      id: '0b7e1c1e-7c55-4f3e-9c55-2f1f0c3e9a01',
      relation: 'subject',
      listType: { code: 'COURT_DEFAULTER', name: '失信被执行人名单', colour: 'black' },
      ownerDept: 'COURT',
      subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某有限公司' },
      decision: { documentNo: '(2026)浙0106执1号', date: '2026-01-05' },
      period: { from: '2026-01-05T00:00:00Z', to: '2028-01-05T00:00:00Z' },
      status: 'published',
      objectionOpen: false,
      notice: null,
      statementDeadline: null,
      earliestRepairDate: '2027-01-05T00:00:00Z',
      repairConditions: [{ code: 'obligations_performed', text: '已履行法定义务' }],
      endReason: null,
      endedAt: null,
      statements: [],
      objections: [],
      next: {
        statement: { allowed: false, until: null },
        objection: { allowed: true },
        repair: { allowed: false, from: '2027-01-05T00:00:00Z' },
      },
    },
  ],
};

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('the repair form', () => {
  const posted: unknown[] = [];

  beforeAll(() => {
    // the console calls its own origin ('/v1/…'); Node's Request wants an absolute URL
    const NodeRequest = globalThis.Request;
    vi.stubGlobal(
      'Request',
      class extends NodeRequest {
        constructor(input: RequestInfo | URL, init?: RequestInit) {
          super(typeof input === 'string' && input.startsWith('/') ? `http://console${input}` : input, init);
        }
      },
    );
    // openapi-fetch takes the global fetch when the client is created: stub it before the pages load
    vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(`http://console${input}`, init);
      const path = new URL(request.url).pathname;
      if (path === '/v1/me/record') return json(200, RECORD);
      if (path === '/v1/me/applications') return json(200, { items: [], nextCursor: null });
      if (path.endsWith('/repair-applications')) {
        posted.push(await request.json());
        return json(
          422,
          {
            status: 422,
            code: 'REPAIR.TOO_EARLY',
            detail:
              'a repair may be applied for from 2027-01-05 (365 days after publication) (未满最短公示期)',
            earliestRepairDate: '2027-01-04T16:00:00.000Z',
            earliestRepairDay: '2027-01-05',
          },
          'application/problem+json',
        );
      }
      return json(404, { status: 404, code: 'HTTP.NOT_FOUND' });
    });
  });
  afterAll(() => vi.unstubAllGlobals());

  async function renderRepairs() {
    const { RepairsPage } = await import('./views');
    render(
      <AntApp>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MemoryRouter initialEntries={['/subject/repairs']}>
            <RepairsPage />
          </MemoryRouter>
        </QueryClientProvider>
      </AntApp>,
    );
    await screen.findByRole('button', { name: '提交修复申请' }, { timeout: 15_000 });
  }

  it('names what is missing at the field, without sending anything', async () => {
    await renderRepairs();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '提交修复申请' }));
    });
    await screen.findByText('请填写修复申请说明', undefined, { timeout: 10_000 });
    expect(screen.getByText('该名单类型须提交信用承诺书')).toBeTruthy();
    expect(screen.getByText('须满足修复条件：已履行法定义务')).toBeTruthy();
    expect(posted).toEqual([]);
  }, 60_000);

  it('sends a complete form; a refusal as too early shows the earliest day, the message and the code', async () => {
    await renderRepairs();
    fireEvent.change(screen.getByLabelText('申请说明'), { target: { value: '已全部履行' } });
    fireEvent.change(screen.getByLabelText('信用承诺书'), { target: { value: '本单位承诺诚信经营' } });
    fireEvent.click(screen.getByRole('checkbox', { name: '已履行法定义务' }));
    fireEvent.change(screen.getByLabelText('证明材料：已履行法定义务'), { target: { value: '结案通知书' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '提交修复申请' }));
    });
    await waitFor(() => expect(posted).toHaveLength(1), { timeout: 10_000 });
    expect(posted[0]).toEqual({
      statement: '已全部履行',
      commitment: { text: '本单位承诺诚信经营' },
      conditions: [{ code: 'obligations_performed', met: true, evidence: '结案通知书' }],
    });
    expect(
      (await screen.findByTestId('repair-too-early', undefined, { timeout: 10_000 })).textContent,
    ).toContain('未满最短公示期，最早可于 2027-01-05 申请信用修复');
    expect(screen.getByTestId('problem-code').textContent).toBe('REPAIR.TOO_EARLY');
  }, 60_000);
});
