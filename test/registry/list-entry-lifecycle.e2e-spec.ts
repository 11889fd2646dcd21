import { Client } from 'pg';
import { ExpireListEntriesJob } from '../../apps/registry/src/list-entries/expire-list-entries.job';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { RegistryUnderTest, startRegistry } from '../support/registry-app';
import { api } from '../support/services';
import { DECISION, entry, idNumber, seedRegistry, Tokens, tokensFor, uscc } from './registry-fixtures';

type Problem = { code: string; status: number; errors?: { field: string; code: string }[] };
type EntryView = {
  id: string;
  status: string;
  subject: { id: string; legacyIds: string[] };
  statementDeadline: string;
};

describe('registry: subjects, identifiers and the life of a list entry', () => {
  let registry: RegistryUnderTest;
  let tokens: Tokens;
  let probe: KafkaProbe;
  let events: TopicReader;
  const url = () => registry.url;

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

  const company = (id: string, name = '杭州某某科技有限公司') => ({ kind: 'legal_person', id, name });
  const courtEntry = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    listType: 'COURT_DEFAULTER',
    subject,
    decision: DECISION,
    ...extra,
  });
  const eventsOf = (entryId: string) =>
    events.records
      .map((r) => ({
        key: r.key,
        event: JSON.parse(r.value!) as { type: string; subject: string; data: Record<string, unknown> },
      }))
      .filter((r) => r.event.subject === entryId);

  describe('identifiers', () => {
    it('normalizes a full-width, lower-case, spaced code and records its organization code', async () => {
      const code = uscc('LC8R2T5W');
      const fullWidth = [...code.toLowerCase()]
        .map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
        .join('')
        .replace(/(.{6})/, '$1 ');
      const created = await api<EntryView>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry(company(fullWidth)),
      });
      expect(created.status).toBe(201);
      expect(created.body.subject.id).toBe(code);
      expect(created.body.subject.legacyIds).toEqual([code.slice(8, 17)]);

      const byOrgCode = await api<{ identifier: string }>(
        'GET',
        `${url()}/v1/subjects/${code.slice(8, 16)}-${code[16]}`,
        { token: tokens.supervisor },
      );
      expect(byOrgCode.status).toBe(200);
      expect(byOrgCode.body.identifier).toBe(code);
    });

    it('finds a subject by a business registration number given as a legacy identifier', async () => {
      const code = uscc('REGN0001');
      await entry(registry, tokens.court, courtEntry({ ...company(code), legacyIds: ['110108000000016'] }));
      const found = await api<{ identifier: string; legacyIds: string[] }>(
        'GET',
        `${url()}/v1/subjects/110108000000016`,
        {
          token: tokens.supervisor,
        },
      );
      expect(found.status).toBe(200);
      expect(found.body.identifier).toBe(code);
      expect(found.body.legacyIds).toEqual(expect.arrayContaining(['110108000000016', code.slice(8, 17)]));
      const bad = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry({ ...company(uscc('REGN0002')), legacyIds: ['110108000000017'] }),
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors?.[0].field).toBe('subject.legacyIds[0]');
      const unknown = await api<Problem>('GET', `${url()}/v1/subjects/110108000000024`, {
        token: tokens.supervisor,
      });
      expect(unknown.status).toBe(404);
    });

    it.each([
      ['a wrong check character', () => uscc('LC8R2T6W').slice(0, 17) + 'A', 'SUBJECT.INVALID_USCC_CHECKSUM'],
      ['a letter outside the code set', () => '91330106MA2H7QK4SQ', 'SUBJECT.INVALID_USCC_CHARACTER'],
      ['a short code', () => '91330106MA2H7QK4', 'SUBJECT.INVALID_USCC_LENGTH'],
      ['an unknown region', () => '91000000MA2H7QK45E', 'SUBJECT.INVALID_USCC_REGION'],
    ])('refuses a unified code with %s, naming the rule and the field', async (_label, code, expected) => {
      const res = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry(company(code())),
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe(expected);
      expect(res.body.errors?.[0]).toMatchObject({ field: 'subject.id', code: expected });
    });

    it('refuses an ID number with an impossible birth date, and one with a wrong check digit', async () => {
      const impossible = idNumber('19900230');
      const bad = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry({ kind: 'individual', id: impossible, name: '张三' }),
      });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('SUBJECT.INVALID_ID_BIRTHDATE');
      const good = idNumber('19900228');
      const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
      const res = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry({ kind: 'individual', id: wrongCheck, name: '张三' }),
      });
      expect(res.body.code).toBe('SUBJECT.INVALID_ID_CHECKSUM');
    });

    it("checks related persons' identifiers too", async () => {
      const res = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry(company(uscc('LC8R2T7W')), {
          relatedPersons: [
            { role: 'legal_representative', kind: 'individual', id: '33010619900230123X', name: '李四' },
          ],
        }),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0].field).toBe('relatedPersons[0].id');
    });

    it('admits a pilot code that fails the checksum only once an admin allow-lists it, and flags the subject', async () => {
      const pilot = uscc('PL1T0T00').slice(0, 17) + 'Y';
      const refused = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry(company(pilot)),
      });
      expect(refused.body.code).toBe('SUBJECT.INVALID_USCC_CHECKSUM');
      const notAdmin = await api('POST', `${url()}/v1/identifier-allow-list`, {
        token: tokens.court,
        body: { code: pilot, note: 'pilot' },
      });
      expect(notAdmin.status).toBe(403);
      const allowed = await api('POST', `${url()}/v1/identifier-allow-list`, {
        token: tokens.admin,
        body: { code: pilot, note: '2015年试点赋码' },
      });
      expect(allowed.status).toBe(201);
      const created = await api('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry(company(pilot)),
      });
      expect(created.status).toBe(201);
      // a supervisor: the entry is a draft, which only its owner, supervisors and the subject read
      const subject = await api<{ flags: string[] }>('GET', `${url()}/v1/subjects/${pilot}`, {
        token: tokens.supervisor,
      });
      expect(subject.body.flags).toEqual(['pilot']);
    });

    it("accepts DOMAIN.md's example code, flagging its embedded organization code", async () => {
      const created = await api('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry(company('91330106MA2H7QK4XQ')),
      });
      expect(created.status).toBe(201);
      const subject = await api<{ flags: string[] }>('GET', `${url()}/v1/subjects/91330106MA2H7QK4XQ`, {
        token: tokens.supervisor,
      });
      expect(subject.body.flags).toEqual(['org_code_mismatch']);
    });

    it('keeps one subject per identifier and the history of its names', async () => {
      const code = uscc('NM7H1XT0');
      await entry(registry, tokens.court, courtEntry(company(code, '旧名称有限公司')));
      await entry(registry, tokens.court, courtEntry(company(code, '新名称有限公司')));
      const subject = await api<{ name: string; formerNames: { name: string }[]; entries: unknown[] }>(
        'GET',
        `${url()}/v1/subjects/${code}`,
        { token: tokens.supervisor },
      );
      expect(subject.body.name).toBe('新名称有限公司');
      expect(subject.body.formerNames.map((n) => n.name)).toEqual(['旧名称有限公司']);
      expect(subject.body.entries).toHaveLength(2);
      const kindChange = await api<Problem>('POST', `${url()}/v1/list-entries`, {
        token: tokens.court,
        body: courtEntry({ kind: 'individual_business', id: code, name: 'x' }),
      });
      expect(kindChange.status).toBe(422);
      expect(kindChange.body.code).toBe('SUBJECT.KIND_MISMATCH');
    });
  });

  describe('lifecycle', () => {
    it('draft → noticed → published → ended, each refusing what its state does not allow', async () => {
      const id = await entry(registry, tokens.court, courtEntry(company(uscc('LF0CYC1E'))));
      const act = (step: string, body?: unknown, token = tokens.court) =>
        api<Problem & EntryView>('POST', `${url()}/v1/list-entries/${id}/${step}`, { token, body });

      expect((await act('publish')).body).toMatchObject({
        code: 'LIST_ENTRY.TRANSITION_NOT_ALLOWED',
        currentStatus: 'draft',
      });
      expect((await act('end', { reason: 'revoked' })).status).toBe(409);
      expect((await act('notice', { channel: 'post', note: '挂号信' })).body).toMatchObject({
        status: 'noticed',
        notice: { channel: 'post', note: '挂号信' },
      });
      expect((await act('notice')).status).toBe(409);
      expect((await act('publish')).body.status).toBe('published');
      expect((await act('publish')).status).toBe(409);
      expect((await act('notice')).status).toBe(409);
      const ended = await act('end', { reason: 'revoked', note: '判决撤销' });
      expect(ended.body).toMatchObject({ status: 'ended', endReason: 'revoked', endNote: '判决撤销' });
      expect((await act('end', { reason: 'expired' })).body).toMatchObject({
        code: 'LIST_ENTRY.TRANSITION_NOT_ALLOWED',
      });
      expect((await act('end', { reason: 'forgotten' })).status).toBe(400);

      const events = await waitFor(() => {
        const types = eventsOf(id).map((r) => r.event.type);
        return types.length >= 3 ? eventsOf(id) : undefined;
      });
      expect(events.map((r) => r.event.type)).toEqual([
        'credit.list-entry.noticed.v1',
        'credit.list-entry.published.v1',
        'credit.list-entry.ended.v1',
      ]);
      expect(events[0].event.data).toMatchObject({ entryId: id, channel: 'post' });
      const published = events.slice(1);
      expect(published[0].key).toBe((published[0].event.data.subject as { id: string }).id);
      expect(published[0].event.data).toMatchObject({
        listType: { code: 'COURT_DEFAULTER', colour: 'black', infoClass: 'A', severity: 'serious' },
        ownerDept: 'COURT',
      });
      expect(published[1].event.data).toMatchObject({ reason: 'revoked', note: '判决撤销' });
    });

    it('refuses overlapping publishes that race (the database constraint holds)', async () => {
      const subject = company(uscc('RACE0000'));
      const ids = await Promise.all(
        [1, 2, 3, 4].map(() => entry(registry, tokens.court, courtEntry(subject), ['notice'])),
      );
      const results = await Promise.all(
        ids.map((id) =>
          api<Problem>('POST', `${url()}/v1/list-entries/${id}/publish`, { token: tokens.court }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('LIST_ENTRY.OVERLAPPING');
      }
    });
  });

  describe('expiry', () => {
    it('ends entries whose period is over, once, even with two replicas running the job', async () => {
      const now = Date.now();
      const period = {
        from: new Date(now - 20 * 86_400_000).toISOString(),
        to: new Date(now + 3_600_000).toISOString(),
        reason: '处罚决定送达之日起算', // not the decision date: the reason is required
      };
      const subjects = ['EXP1RE01', 'EXP1RE02', 'EXP1RE03'].map((body) => uscc(body));
      const ids = await Promise.all(
        subjects.map((subject) =>
          entry(
            registry,
            tokens.tax,
            { listType: 'LATE_FILING', subject: company(subject), decision: DECISION, period },
            ['notice', 'publish'],
          ),
        ),
      );
      const job = registry.app.get(ExpireListEntriesJob);
      expect(await job.expireDue(new Date(now))).toBe(0);
      const later = new Date(now + 2 * 3_600_000);
      const [a, b] = await Promise.all([job.expireDue(later), job.expireDue(later)]);
      expect(a + b).toBe(3);
      expect(await job.expireDue(later)).toBe(0);
      for (const id of ids) {
        const view = await api<EntryView & { endReason: string }>('GET', `${url()}/v1/list-entries/${id}`, {
          token: tokens.tax,
        });
        expect(view.body).toMatchObject({ status: 'ended', endReason: 'expired' });
      }
      await waitFor(
        () => ids.every((id) => eventsOf(id).some((r) => r.event.type === 'credit.list-entry.ended.v1')),
        {
          message: 'ended events for the expired entries',
        },
      );
      const pg = new Client({ connectionString: registry.databaseUrl });
      await pg.connect();
      const [{ n }] = (
        await pg.query(
          // written to the outbox: still pending there, or published (moved to the narrow log, keyed by subject)
          `SELECT count(*)::int AS n FROM (SELECT event_type, key FROM registry.message_outbox
             UNION ALL SELECT event_type, key FROM registry.message_published) o
           WHERE event_type = 'credit.list-entry.ended.v1' AND key = ANY($1)`,
          [subjects],
        )
      ).rows;
      await pg.end();
      expect(n).toBe(3);
    });
  });
});
