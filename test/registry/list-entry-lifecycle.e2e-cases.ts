import { Client } from 'pg';
import { ExpireListEntriesJob } from '../../apps/registry/src/list-entries/expire-list-entries.job';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { RegistryUnderTest, startRegistry } from '../support/registry-app';
import { api } from '../support/services';
import { DECISION, entry, seedRegistry, Tokens, tokensFor, uscc } from './registry-fixtures';

type Problem = { code: string; status: number; errors?: { field: string; code: string }[] };
type EntryView = { id: string; status: string };

/**
 * What the life of an entry shows only on the real engines: its events on Kafka (keys, order), publishes
 * racing on PostgreSQL's constraint, and the expiry job run by two replicas at once. The rules of each
 * step: apps/registry/src/list-entries/list-entries.medium-cases.ts; subjects and identifiers:
 * apps/registry/src/subjects/subjects.medium-cases.ts.
 */
describe('registry: the life of a list entry on Kafka and PostgreSQL', () => {
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

      // the entry's documents (决定书 …) travel on the same topic, issued by a job whenever it runs
      const lifecycleOf = (entryId: string) =>
        eventsOf(entryId).filter((r) => r.event.type.startsWith('credit.list-entry.'));
      const events = await waitFor(() => (lifecycleOf(id).length >= 3 ? lifecycleOf(id) : undefined));
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
