import ExcelJS from 'exceljs';
import { waitFor } from '../../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { blockMeasure, publishCourtEntry, seedCourtDefaulter } from '../../../../test/support/medium-catalog';
import { uscc } from '../../../../test/support/medium-registry';
import { OverdueFollowUpJob } from '../follow-up/overdue-follow-up.job';

const FORMULA_CODE = '-2-3';
const BID = 'government_procurement_bid';

/** the answer's bytes as the ArrayBuffer ExcelJS reads */
const bytesOf = (payload: Buffer) =>
  payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength) as ArrayBuffer;

type DeptRow = { dept: string; assigned: number; acknowledged: number; overdue: number };

/**
 * Reports (issue 6 item 5): the statistics, the overdue list and a department's assessment as CSV and
 * XLSX that open correctly, to whom they belong. The four services on the in-process bus: an entry
 * published in registry, its two assignments acknowledged (one) and marked overdue by tracking's job.
 */
describe('tracking: reports', () => {
  let platform: MediumPlatform;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startMedium();
    for (const [name, dept, role] of [
      ['admin', 'CREDIT_OFFICE', 'admin'],
      ['supervisor', 'CREDIT_OFFICE', 'supervisor'],
      ['court', 'COURT', 'initiator'],
      ['finance', 'FINANCE', 'system'],
    ] as const) {
      t[name] = await platform.token(dept, [role]);
    }
    // a measure code a spreadsheet would compute (=-2-3): the exports must show it as text
    await seedCourtDefaulter(
      platform,
      t.admin,
      ['COURT', 'FINANCE', 'NDRC'],
      [blockMeasure('FN', 'FINANCE', BID), blockMeasure(FORMULA_CODE, 'NDRC', BID)],
    );
    await publishCourtEntry(platform, t.court, { kind: 'legal_person', id: uscc('REP0RT01'), name: 'x' });
    const finance = await waitFor(async () => {
      const inbox = await platform.api<{ items: { id: string }[] }>('GET', '/v1/inbox', { token: t.finance });
      return inbox.body.items?.[0];
    });
    await platform.api('POST', `/v1/assignments/${finance.id}/ack`, { token: t.finance });
    await waitFor(
      async () => {
        const res = await platform.api<{ items: DeptRow[] }>('GET', '/v1/stats/departments', {
          token: t.supervisor,
        });
        return res.body.items?.find((r) => r.dept === 'FINANCE')?.acknowledged === 1;
      },
      { message: 'statistics caught up' },
    );
    // a month later nobody reported feedback: both are overdue
    await platform.get(OverdueFollowUpJob).markOverdue(new Date(Date.now() + 30 * 86_400_000));
  });
  afterAll(() => platform?.close());

  const download = (path: string, token = t.supervisor) => platform.api('GET', path, { token });

  it('exports the department statistics as CSV and XLSX with the same figures as the JSON route', async () => {
    const json = (
      await platform.api<{ items: DeptRow[] }>('GET', '/v1/stats/departments', { token: t.supervisor })
    ).body.items;
    const csv = await download('/v1/reports/departments?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const bytes = csv.payload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toContain('部门 dept');
    const csvRows = lines.slice(1).map((l) => l.split(','));
    expect(csvRows.map((r) => [r[0], Number(r[1]), Number(r[2]), Number(r[7])])).toEqual(
      json.map((r) => [r.dept, r.assigned, r.acknowledged, r.overdue]),
    );

    const xlsx = await download('/v1/reports/departments?format=xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytesOf(xlsx.payload));
    const sheet = book.worksheets[0];
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('部门联合奖惩实施情况');
    const values: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 2)
        values.push([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(8).value]);
    });
    expect(values).toEqual(json.map((r) => [r.dept, r.assigned, r.acknowledged, r.overdue]));
  });

  it('exports the overdue list, and only to supervisors', async () => {
    const csv = await download('/v1/reports/overdue?format=csv');
    const lines = csv.payload.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines.length).toBe(3); // header + FINANCE (feedback) + NDRC (acknowledgement)
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['FINANCE', 'NDRC']);
    const xlsx = await download('/v1/reports/overdue?format=xlsx&dept=NDRC');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytesOf(xlsx.payload));
    expect(book.worksheets[0].rowCount).toBe(3); // title, header, one row
    expect((await download('/v1/reports/overdue', t.finance)).status).toBe(403);
    expect((await download('/v1/reports/overdue?format=pdf')).status).toBe(400);
  });

  it('writes a cell a spreadsheet would run as a formula as text, in CSV and XLSX', async () => {
    const csv = (await download('/v1/reports/overdue?format=csv&dept=NDRC')).payload
      .subarray(3)
      .toString('utf8')
      .trim()
      .split('\r\n');
    expect(csv[1].split(',')[1]).toBe(`'${FORMULA_CODE}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytesOf((await download('/v1/reports/overdue?format=xlsx&dept=NDRC')).payload));
    const cell = book.worksheets[0].getRow(3).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(`'${FORMULA_CODE}`);
  });

  it("exports a department's assessment as JSON, CSV and XLSX with the same figures; its own department may read it", async () => {
    type Assessment = {
      totals: Record<string, number>;
      byMeasure: ({ measureCode: string } & Record<string, number>)[];
      application: { applies: boolean };
    };
    const json = await platform.api<Assessment>('GET', '/v1/reports/assessment?dept=FINANCE', {
      token: t.supervisor,
    });
    expect(json.status).toBe(200);
    expect(json.body.totals).toMatchObject({
      received: 1,
      acknowledged: 1,
      acknowledgedOnTime: 1,
      feedbackReported: 0,
      overdueNow: 1,
      everOverdue: 1,
      escalated: 1, // a month late is past the second escalation too
    });
    expect(json.body.byMeasure.map((m) => m.measureCode)).toEqual(['FN']);
    expect(json.body.application.applies).toBe(false);

    const csv = await download('/v1/reports/assessment?dept=FINANCE&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.payload.subarray(3).toString('utf8').trim().split('\r\n');
    const header = lines[0].split(',');
    const total = lines[1].split(',');
    expect(total[0]).toBe('合计 total');
    expect(Number(total[header.indexOf('下发 received')])).toBe(1);
    expect(Number(total[header.indexOf('当前逾期 overdueNow')])).toBe(1);
    expect(total[header.indexOf('达标 applies')]).toBe('no');
    expect(lines[2].split(',')[0]).toBe('FN');

    const xlsx = await download('/v1/reports/assessment?dept=FINANCE&format=xlsx&from=2026-01-01');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytesOf(xlsx.payload));
    const sheet = book.worksheets[0];
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('FINANCE 联合奖惩考核 2026-01-01');
    expect(sheet.getRow(3).getCell(1).value).toBe('合计 total');
    expect(sheet.getRow(3).getCell(4).value).toBe(1); // received
    expect(sheet.getRow(4).getCell(1).value).toBe('FN');

    // the department reads its own record, not another's; a department is required
    expect((await download('/v1/reports/assessment?dept=FINANCE', t.finance)).status).toBe(200);
    expect((await download('/v1/reports/assessment?dept=NDRC', t.finance)).status).toBe(403);
    expect((await download('/v1/reports/assessment', t.supervisor)).status).toBe(400);
    expect((await download('/v1/reports/assessment?dept=FINANCE', t.court)).status).toBe(403);
  });
});
