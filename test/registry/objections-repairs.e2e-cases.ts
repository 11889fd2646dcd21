import { Client } from 'pg';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { RegistryUnderTest, startRegistry } from '../support/registry-app';
import { api } from '../support/services';
import { DECISION, entry, seedRegistry, Tokens, tokensFor, uscc } from './registry-fixtures';

type Problem = { code: string; status: number; errors?: { field: string }[] };
type Objection = { id: string; status: string; deadline: string; overdue: boolean; entryId: string };
type Entry = {
  status: string;
  endReason: string | null;
  objectionOpen: boolean;
  period: { from: string; to: string };
};

describe('registry: objections (异议) and credit repair (信用修复)', () => {
  let registry: RegistryUnderTest;
  let tokens: Tokens;
  let probe: KafkaProbe;
  let events: TopicReader;
  const url = () => registry.url;
  let n = 0;

  beforeAll(async () => {
    registry = await startRegistry();
    tokens = await tokensFor(registry);
    await seedRegistry(registry, tokens);
    probe = new KafkaProbe(registry.topicPrefix);
    events = await probe.read('credit.list-entries');
  });

  afterAll(async () => {
    await probe?.close();
    await registry?.close();
  });

  const published = () =>
    entry(
      registry,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: {
          kind: 'legal_person',
          id: uscc(`0BJ${String((n += 1)).padStart(5, '0')}`),
          name: '某公司',
        },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
  const getEntry = async (id: string) =>
    (await api<Entry>('GET', `${url()}/v1/list-entries/${id}`, { token: tokens.court })).body;
  const open = (id: string, token = tokens.court) =>
    api<Objection & Problem>('POST', `${url()}/v1/list-entries/${id}/objections`, {
      token,
      body: { reason: '债务已清偿' },
    });
  const resolve = (id: string, body: Record<string, unknown>, token = tokens.court) =>
    api<Objection & Problem>('POST', `${url()}/v1/objections/${id}/resolve`, { token, body });
  const eventTypes = (entryId: string) =>
    events.records
      .map((r) => JSON.parse(r.value!) as { type: string; subject: string; data: Record<string, unknown> })
      .filter((e) => e.subject === entryId && !e.type.startsWith('credit.document.')); // documents: their own pace

  describe('objections', () => {
    it('flags the entry at once, allows one open objection, and is upheld once', async () => {
      const id = await published();
      const opened = await open(id);
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({ status: 'open', overdue: false, entryId: id });
      expect(new Date(opened.body.deadline).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
      expect((await getEntry(id)).objectionOpen).toBe(true);
      expect((await open(id)).body).toMatchObject({ code: 'OBJECTION.ALREADY_OPEN' });

      expect((await resolve(opened.body.id, { outcome: 'upheld', note: 'x' }, tokens.tax)).status).toBe(403);
      const upheld = await resolve(opened.body.id, { outcome: 'upheld', note: '经核查，失信事实成立' });
      expect(upheld.body.status).toBe('upheld');
      expect(await getEntry(id)).toMatchObject({ status: 'published', objectionOpen: false });
      expect((await resolve(opened.body.id, { outcome: 'withdrawn', note: 'x' })).body).toMatchObject({
        code: 'OBJECTION.ALREADY_RESOLVED',
        status: 409,
      });
      const types = await waitFor(() => {
        const t = eventTypes(id).map((e) => e.type);
        return t.length >= 4 ? t : undefined;
      });
      expect(types).toEqual([
        'credit.list-entry.noticed.v1',
        'credit.list-entry.published.v1',
        'credit.list-entry.objection-opened.v1',
        'credit.list-entry.objection-resolved.v1',
      ]);
      const openedEvent = eventTypes(id)[2];
      expect(openedEvent.data).toMatchObject({ objectionId: opened.body.id, suspendMeasures: true });
    });

    it('corrected: changes the period with history and emits the amendment', async () => {
      const id = await published();
      const before = await getEntry(id);
      const objection = (await open(id)).body;
      const nothing = await resolve(objection.id, { outcome: 'corrected', note: '更正' });
      expect(nothing.body).toMatchObject({ code: 'OBJECTION.CORRECTION_REQUIRED' });
      const tooShort = await resolve(objection.id, {
        outcome: 'corrected',
        note: '更正',
        correction: {
          period: {
            from: before.period.from,
            to: new Date(Date.parse(before.period.from) + 30 * 86_400_000).toISOString(),
          },
        },
      });
      expect(tooShort.body).toMatchObject({ code: 'LIST_ENTRY.PERIOD_OUTSIDE_SEVERITY_BAND' });

      const newTo = new Date(Date.parse(before.period.from) + 400 * 86_400_000).toISOString();
      const corrected = await resolve(objection.id, {
        outcome: 'corrected',
        note: '执行标的部分履行，缩短公示期',
        correction: { facts: '部分履行', period: { from: before.period.from, to: newTo } },
      });
      expect(corrected.body.status).toBe('corrected');
      const after = await getEntry(id);
      expect(after).toMatchObject({
        status: 'published',
        objectionOpen: false,
        period: { from: before.period.from, to: newTo },
      });
      const history = await api<{
        items: { changed: string[]; before: { period: { to: string } }; after: { period: { to: string } } }[];
      }>('GET', `${url()}/v1/list-entries/${id}/amendments`, { token: tokens.supervisor });
      expect(history.body.items).toHaveLength(1);
      expect(history.body.items[0]).toMatchObject({
        changed: ['facts', 'period'],
        before: { period: { to: before.period.to } },
        after: { period: { to: newTo } },
      });
      const amended = await waitFor(() =>
        eventTypes(id).find((e) => e.type === 'credit.list-entry.amended.v1'),
      );
      expect(amended.data).toMatchObject({
        period: { to: newTo },
        previousPeriod: { to: before.period.to },
        changed: ['facts', 'period'],
      });
    });

    it('withdrawn: the entry is revoked and its lifts fan out', async () => {
      const id = await published();
      const objection = (await open(id)).body;
      const withdrawn = await resolve(objection.id, { outcome: 'withdrawn', note: '确属错误列入' });
      expect(withdrawn.body.status).toBe('withdrawn');
      expect(await getEntry(id)).toMatchObject({
        status: 'ended',
        endReason: 'revoked',
        objectionOpen: false,
      });
      const types = await waitFor(() => {
        const t = eventTypes(id).map((e) => e.type);
        return t.length >= 5 ? t : undefined;
      });
      expect(types).toEqual([
        'credit.list-entry.noticed.v1',
        'credit.list-entry.published.v1',
        'credit.list-entry.objection-opened.v1',
        'credit.list-entry.ended.v1',
        'credit.list-entry.objection-resolved.v1',
      ]);
    });

    it('shows overdue objections to their department and to supervisors', async () => {
      const id = await published();
      const objection = (await open(id)).body;
      const pg = new Client({ connectionString: registry.databaseUrl });
      await pg.connect();
      await pg.query(`UPDATE registry.objections SET deadline = now() - interval '1 day' WHERE id = $1`, [
        objection.id,
      ]);
      await pg.end();
      const mine = await api<{ items: Objection[] }>('GET', `${url()}/v1/objections?overdue=true`, {
        token: tokens.court,
      });
      expect(mine.body.items.map((o) => o.id)).toEqual([objection.id]);
      expect(mine.body.items[0].overdue).toBe(true);
      const supervisor = await api<{ items: Objection[] }>('GET', `${url()}/v1/objections?overdue=true`, {
        token: tokens.supervisor,
      });
      expect(supervisor.body.items.map((o) => o.id)).toContain(objection.id);
      const other = await api<{ items: Objection[] }>('GET', `${url()}/v1/objections?overdue=true`, {
        token: tokens.tax,
      });
      expect(other.body.items).toEqual([]);
      await resolve(objection.id, { outcome: 'upheld', note: '逾期处理' });
      const after = await api<{ items: Objection[] }>('GET', `${url()}/v1/objections?overdue=true`, {
        token: tokens.court,
      });
      expect(after.body.items).toEqual([]);
    });
  });

  describe('credit repair', () => {
    // published 400 days ago: past the serious list's year before a repair may be applied for
    const inForceForAYear = () =>
      entry(
        registry,
        tokens.court,
        {
          listType: 'COURT_DEFAULTER',
          subject: {
            kind: 'legal_person',
            id: uscc(`0BJ${String((n += 1)).padStart(5, '0')}`),
            name: '某公司',
          },
          decision: DECISION,
          period: {
            from: new Date(Date.now() - 400 * 86_400_000).toISOString(),
            to: new Date(Date.now() + 330 * 86_400_000).toISOString(),
            reason: '测试：公示已满一年，可申请修复',
          },
        },
        ['notice', 'publish'],
      );
    const submit = (id: string) =>
      api<{ id: string; status: string } & Problem>(
        'POST',
        `${url()}/v1/list-entries/${id}/repair-applications`,
        {
          token: tokens.court,
          body: {
            statement: '已履行全部义务',
            commitment: { text: '本单位承诺依法诚信经营' },
            conditions: [
              { code: 'obligations_performed', met: true, evidence: '结案证明' },
              { code: 'behaviour_corrected', met: true, evidence: '整改报告' },
            ],
          },
        },
      );
    const accept = (id: string) =>
      api<{ status: string }>('POST', `${url()}/v1/repair-applications/${id}/accept`, {
        token: tokens.court,
      });
    const decide = (id: string, body: Record<string, unknown>, token = tokens.court) =>
      api<{ status: string; reason: string } & Problem>(
        'POST',
        `${url()}/v1/repair-applications/${id}/decide`,
        {
          token,
          body,
        },
      );

    it('an approval ends the entry as repaired and fans out its lifts', async () => {
      const id = await inForceForAYear();
      const application = (await submit(id)).body;
      await accept(application.id);
      expect((await decide(application.id, { outcome: 'approved' }, tokens.tax)).status).toBe(403);
      const approved = await decide(application.id, { outcome: 'approved', reason: '同意修复' });
      expect(approved.body.status).toBe('approved');
      expect(await getEntry(id)).toMatchObject({ status: 'ended', endReason: 'repaired' });
      const ended = await waitFor(() => eventTypes(id).find((e) => e.type === 'credit.list-entry.ended.v1'));
      expect(ended.data).toMatchObject({ reason: 'repaired' });
      expect((await submit(id)).body).toMatchObject({ code: 'REPAIR.ENTRY_ENDED', status: 409 });
      const list = await api<{ items: { id: string; status: string }[] }>(
        'GET',
        `${url()}/v1/repair-applications?entryId=${id}`,
        { token: tokens.supervisor },
      );
      expect(list.body.items).toEqual([expect.objectContaining({ id: application.id, status: 'approved' })]);
    });
  });
});
