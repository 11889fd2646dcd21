import { Role } from '@credit/contracts';
import { waitFor } from '../support/infra';
import { api } from '../support/services';
import { DECISION, uscc } from './registry-fixtures';

type Problem = { code: string; status: number; errors?: { field: string; code: string }[] };
type CommitmentView = {
  id: string;
  subject: { kind: string; id: string; name: string };
  matter: string;
  text: string;
  madeOn: string;
  entryId: string | null;
  status: string;
  recordedBy: { dept: string; role: string };
  settledAt: string | null;
  settledByDept: string | null;
  settlementNote: string | null;
  newEntryId: string | null;
};
type Page = { items: CommitmentView[]; nextCursor: string | null };

export interface CommitmentsTarget {
  /** the registry's address (the embedded process's, in the embedded mode) */
  url: string;
  token(dept: string, roles: Role[]): Promise<string>;
  subjectToken(identifier: string): Promise<string>;
  /** events of topic `credit.commitments` as the registry published them, where the test can read them */
  commitmentEvents?: () => { type: string; key: string | null; data: Record<string, unknown> }[];
  /** tracking's address, where it runs too: the register's figures reach its statistics */
  trackingUrl?: string;
}

/**
 * 信用承诺: the commitment register over HTTP — recording, the register's readers, kept and broken, a
 * broken commitment as the basis of a new entry, and each refusal with its stable code. Runs against the
 * distributed registry and the embedded process alike.
 */
export function describeCommitmentRoutes(
  label: string,
  start: () => Promise<CommitmentsTarget>,
  tag: string,
) {
  describe(`the commitment register (信用承诺), ${label}`, () => {
    let target: CommitmentsTarget;
    const t = {} as Record<'admin' | 'court' | 'tax' | 'taxImpl' | 'counter' | 'sup', string>;
    const company = uscc(`CMT${tag}0001`);
    const other = uscc(`CMT${tag}0002`);
    const lt = `CMT_${tag}`;
    let entryId = '';
    let listedEntryId = '';
    let basisId = '';
    const url = () => target.url;
    const post = <T = CommitmentView & Problem>(path: string, token: string, body: unknown) =>
      api<T>('POST', `${url()}${path}`, { token, body });
    const get = <T = Page & Problem>(path: string, token: string) =>
      api<T>('GET', `${url()}${path}`, { token });
    const commitment = (over: Record<string, unknown> = {}) => ({
      subject: { kind: 'legal_person', id: company, name: '某某公司' },
      matter: 'licence',
      text: '本单位承诺申请材料真实有效，如有不实，愿承担相应责任',
      ...over,
    });

    beforeAll(async () => {
      target = await start();
      t.admin = await target.token('CREDIT_OFFICE', ['admin']);
      for (const code of [`CT${tag}`, `TX${tag}`]) {
        const res = await post(`/v1/departments`, t.admin, { code, name: code, region: '330100' });
        expect(res.status).toBe(201);
      }
      t.court = await target.token(`CT${tag}`, ['initiator']);
      t.tax = await target.token(`TX${tag}`, ['initiator']);
      t.taxImpl = await target.token(`TX${tag}`, ['implementer']);
      t.counter = await target.token('CREDIT_OFFICE', ['credit_office']);
      t.sup = await target.token('CREDIT_OFFICE', ['supervisor']);
      // a department registered a moment ago is accepted within seconds
      await waitFor(async () => (await get('/v1/departments', t.court)).status === 200, {
        message: 'the new departments accepted',
      });
      const created = await post('/v1/list-types', t.admin, {
        code: lt,
        name: lt,
        colour: 'black',
        ownerDept: `CT${tag}`,
        legalBasis: 'basis',
        infoClass: 'B',
        severity: 'general',
        defaultPeriodDays: 365,
        subjectKinds: ['legal_person'],
        noticeWorkingDays: 0,
        suspendOnObjection: false,
      });
      expect(created.status).toBe(201);
      const e = await post<{ id: string }>('/v1/list-entries', t.court, {
        listType: lt,
        subject: { kind: 'legal_person', id: company, name: '某某公司' },
        decision: DECISION,
      });
      expect(e.status).toBe(201);
      entryId = e.body.id;
    }, 120_000);

    it('records a commitment made to a department, with who recorded it, and announces it', async () => {
      const res = await post('/v1/commitments', t.tax, commitment({ madeOn: '2026-11-30' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        subject: { kind: 'legal_person', id: company },
        matter: 'licence',
        madeOn: '2026-11-30',
        entryId: null,
        status: 'open',
        recordedBy: { dept: `TX${tag}`, role: 'initiator' },
        settledAt: null,
      });
      if (target.commitmentEvents) {
        const events = await waitFor(() => {
          const found = target.commitmentEvents!().filter((e) => e.data.commitmentId === res.body.id);
          return found.length > 0 ? found : undefined;
        });
        expect(events[0]).toMatchObject({
          type: 'credit.commitment.recorded.v1',
          key: company,
          data: { matter: 'licence', recordedByDept: `TX${tag}`, subject: { id: company } },
        });
      }
    });

    it('refuses bad input with stable codes, naming the field', async () => {
      const cases: [Record<string, unknown>, number, string, string?][] = [
        [commitment({ matter: 'lottery' }), 400, 'VALIDATION.FAILED', 'matter'],
        [commitment({ text: '' }), 400, 'VALIDATION.FAILED', 'text'],
        [commitment({ subject: { kind: 'legal_person', id: '91330106MA2H7QK4X0', name: 'x' } }), 422, ''],
        [commitment({ matter: 'repair' }), 422, 'COMMITMENT.ENTRY_REQUIRED', 'entryId'],
        [commitment({ madeOn: '2999-01-01' }), 422, 'COMMITMENT.MADE_IN_FUTURE', 'madeOn'],
        [
          commitment({ matter: 'repair', entryId: '00000000-0000-4000-8000-000000000000' }),
          422,
          'COMMITMENT.ENTRY_NOT_FOUND',
          'entryId',
        ],
      ];
      for (const [body, status, code, field] of cases) {
        const res = await post('/v1/commitments', t.court, body);
        expect({ status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
          status,
          field: field ?? res.body.errors?.[0]?.field,
        });
        if (code) expect(res.body.code).toBe(code);
      }
      // an entry of another subject; an entry the tax bureau may not read (class B, the court's draft)
      const otherSubject = await post('/v1/commitments', t.court, {
        ...commitment({ matter: 'repair', entryId }),
        subject: { kind: 'legal_person', id: other, name: '另一公司' },
      });
      expect(otherSubject.body).toMatchObject({ code: 'COMMITMENT.ENTRY_OTHER_SUBJECT', status: 422 });
      const unreadable = await post('/v1/commitments', t.tax, commitment({ matter: 'repair', entryId }));
      expect(unreadable.body).toMatchObject({ code: 'COMMITMENT.ENTRY_NOT_FOUND', status: 422 });
    });

    it('records a repair commitment on the entry, by the counter for the subject', async () => {
      const res = await post('/v1/commitments', t.counter, commitment({ matter: 'repair', entryId }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entryId,
        recordedBy: { dept: 'CREDIT_OFFICE', role: 'credit_office' },
      });
    });

    it('shows the register to its readers: own department, the counter, supervisors, the subject', async () => {
      const ofCompany = `/v1/commitments?subjectId=${company}`;
      const tax = await get(ofCompany, t.tax);
      expect(tax.body.items.map((c) => c.recordedBy.dept)).toEqual([`TX${tag}`]);
      const counter = await get(ofCompany, t.counter);
      expect(counter.body.items).toHaveLength(2);
      const sup = await get(`${ofCompany}&matter=repair`, t.sup);
      expect(sup.body.items.map((c) => c.entryId)).toEqual([entryId]);
      const court = await get(ofCompany, t.court);
      expect(court.body.items).toEqual([]);
      // paged
      const first = await get(`${ofCompany}&limit=1`, t.counter);
      expect(first.body.items).toHaveLength(1);
      const second = await get(`${ofCompany}&limit=1&cursor=${first.body.nextCursor}`, t.counter);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      // the subject's own, and nobody else's
      const mine = await get('/v1/me/commitments', await target.subjectToken(company));
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((c) => c.matter).sort()).toEqual(['licence', 'repair']);
      const theirs = await get('/v1/me/commitments', await target.subjectToken(other));
      expect(theirs.body.items).toEqual([]);
      expect((await get('/v1/commitments', t.taxImpl)).body.code).toBe('AUTH.ROLE_FORBIDDEN');
    });

    it('is found kept or broken once, by the department it was made to or the counter', async () => {
      const made = await post('/v1/commitments', t.tax, commitment({ matter: 'subsidy' }));
      const id = made.body.id;
      const byCourt = await post(`/v1/commitments/${id}/kept`, t.court, {});
      expect(byCourt.body).toMatchObject({ status: 403, code: 'COMMITMENT.NOT_RECORDER' });
      const noReason = await post(`/v1/commitments/${id}/broken`, t.tax, {});
      expect(noReason.status).toBe(400);
      const future = await post(`/v1/commitments/${id}/kept`, t.tax, { at: '2999-01-01T00:00:00Z' });
      expect(future.body).toMatchObject({ status: 422, code: 'COMMITMENT.SETTLED_IN_FUTURE' });
      const before = await post(`/v1/commitments/${id}/kept`, t.tax, { at: '2020-01-01T00:00:00Z' });
      expect(before.body).toMatchObject({ status: 422, code: 'COMMITMENT.SETTLED_BEFORE_RECORDED' });
      const kept = await post(`/v1/commitments/${id}/kept`, t.tax, { note: '按期履约' });
      expect(kept.body).toMatchObject({
        status: 'kept',
        settledByDept: `TX${tag}`,
        settlementNote: '按期履约',
      });
      const again = await post(`/v1/commitments/${id}/kept`, t.tax, {});
      expect(again.body).toMatchObject({ status: 409, code: 'COMMITMENT.ALREADY_SETTLED' });
      // a kept commitment can still be found broken (the subsidy was obtained by a false statement)
      const broken = await post(`/v1/commitments/${id}/broken`, t.counter, { note: '虚假材料骗取补贴' });
      expect(broken.body).toMatchObject({ status: 'broken', settledByDept: 'CREDIT_OFFICE' });
      const twice = await post(`/v1/commitments/${id}/broken`, t.tax, { note: 'x' });
      expect(twice.body).toMatchObject({ status: 409, code: 'COMMITMENT.ALREADY_SETTLED' });
      const unknown = await post('/v1/commitments/00000000-0000-4000-8000-000000000000/kept', t.admin, {});
      expect(unknown.body).toMatchObject({ status: 404, code: 'COMMITMENT.NOT_FOUND' });
      if (target.commitmentEvents) {
        const types = await waitFor(() => {
          const found = target.commitmentEvents!().filter((e) => e.data.commitmentId === id);
          return found.length === 3 ? found.map((e) => e.type) : undefined;
        });
        expect(types).toEqual([
          'credit.commitment.recorded.v1',
          'credit.commitment.kept.v1',
          'credit.commitment.broken.v1',
        ]);
      }
    });

    it('lists a subject on the basis of its broken commitment, and no other', async () => {
      const open = await post('/v1/commitments', t.court, commitment({ matter: 'other' }));
      const broken = await post('/v1/commitments', t.court, commitment({ matter: 'other' }));
      await post(`/v1/commitments/${broken.body.id}/broken`, t.court, { note: '未履行承诺' });
      const ofOther = await post('/v1/commitments', t.court, {
        ...commitment({ matter: 'other' }),
        subject: { kind: 'legal_person', id: other, name: '另一公司' },
      });
      await post(`/v1/commitments/${ofOther.body.id}/broken`, t.court, { note: '未履行承诺' });
      const listing = (basisCommitmentId: string) =>
        post<{ id: string; basisCommitmentId: string | null } & Problem>('/v1/list-entries', t.court, {
          listType: lt,
          subject: { kind: 'legal_person', id: company, name: '某某公司' },
          decision: DECISION,
          basisCommitmentId,
        });
      for (const [id, code] of [
        ['00000000-0000-4000-8000-000000000000', 'LIST_ENTRY.BASIS_COMMITMENT_NOT_FOUND'],
        [open.body.id, 'LIST_ENTRY.BASIS_COMMITMENT_NOT_BROKEN'],
        [ofOther.body.id, 'LIST_ENTRY.BASIS_COMMITMENT_OTHER_SUBJECT'],
      ]) {
        const res = await listing(id);
        expect({ status: res.status, code: res.body.code, field: res.body.errors?.[0]?.field }).toEqual({
          status: 422,
          code,
          field: 'basisCommitmentId',
        });
      }
      const listed = await listing(broken.body.id);
      expect(listed.status).toBe(201);
      expect(listed.body.basisCommitmentId).toBe(broken.body.id);
      const read = await get<{ basisCommitmentId: string }>(`/v1/list-entries/${listed.body.id}`, t.court);
      expect(read.body.basisCommitmentId).toBe(broken.body.id);
      const register = await get(`/v1/commitments?subjectId=${company}&status=broken`, t.court);
      expect(register.body.items.find((c) => c.id === broken.body.id)?.newEntryId).toBe(listed.body.id);
      // published: the link travels with the entry's publication (its trail, tracking's figures)
      for (const step of ['notice', 'publish']) {
        const res = await post(`/v1/list-entries/${listed.body.id}/${step}`, t.court, {});
        expect(res.status).toBe(200);
      }
      listedEntryId = listed.body.id;
      basisId = broken.body.id;
    });

    it('reaches tracking’s statistics of the department it was made to', async () => {
      if (!target.trackingUrl) return; // the registry alone
      type Stats = { items: { dept: string; commitments: Record<string, number> }[] };
      const figures = await waitFor(
        async () => {
          const res = await api<Stats>('GET', `${target.trackingUrl}/v1/stats/due-process?dept=TX${tag}`, {
            token: t.sup,
          });
          const c = res.body.items?.[0]?.commitments;
          return c?.broken === 1 ? c : undefined;
        },
        { message: 'the commitments in the statistics' },
      );
      expect(figures).toEqual({ recorded: 2, open: 1, kept: 0, broken: 1, listedOnBreach: 0 });
      // the court's: one open, one broken of another subject, one broken and listed on
      const court = await waitFor(
        async () => {
          const res = await api<Stats>('GET', `${target.trackingUrl}/v1/stats/due-process?dept=CT${tag}`, {
            token: t.sup,
          });
          const c = res.body.items?.[0]?.commitments;
          return c?.listedOnBreach === 1 ? c : undefined;
        },
        { message: 'the entry listed on a broken commitment in the statistics' },
      );
      expect(court).toEqual({ recorded: 3, open: 1, kept: 0, broken: 2, listedOnBreach: 1 });
      const trail = await waitFor(
        async () => {
          const res = await api<{ items: { type: string; data: Record<string, unknown> }[] }>(
            'GET',
            `${target.trackingUrl}/v1/list-entries/${listedEntryId}/trail`,
            { token: t.sup },
          );
          return res.body.items?.find((i) => i.type === 'credit.list-entry.published.v1');
        },
        { message: 'the publication in the trail' },
      );
      expect(trail.data.basisCommitmentId).toBe(basisId);
    });
  });
}
