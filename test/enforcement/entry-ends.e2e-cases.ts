import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { messagesConsumed } from '@credit/platform';
import { TRIGGER_MESSAGING } from '../../apps/trigger/src/trigger.tokens';
import { DECISION, entry, idNumber, uscc } from '../registry/registry-fixtures';
import { Client } from 'pg';
import { KAFKA_BROKERS, waitFor } from '../support/infra';
import { KafkaProbe } from '../support/kafka-probe';
import { listTypeBody, measureBody, routesOf } from '../support/catalog-fixtures';
import { seedCourtCatalog } from '../support/catalog-seed';
import { banPlatform } from '../support/ban-platform';
import { api } from '../support/services';

/**
 * Decision 0063 on Kafka: enforcement hears an entry's end from registry's topic itself, so the check
 * answers allow while trigger's consumers are stopped; trigger's lifts, once it runs again, reach the
 * department's inbox and change nothing the check answers.
 */
describe('an entry’s end reaches the check without trigger (decision 0063)', () => {
  const s = banPlatform();
  const statuses = async (schema: 'trigger' | 'enforcement', entryId: string) =>
    (
      await s.db.query<{ status: string }>(`SELECT status FROM ${schema}.assignments WHERE entry_id = $1`, [
        entryId,
      ])
    ).rows.map((r) => r.status);

  it('answers allow with trigger stopped; trigger’s later lifts reach the inbox and change nothing', async () => {
    const id = uscc('ENDKAF01');
    const entryId = await entry(
      { url: s.platform.url.registry },
      s.t.court,
      { listType: 'COURT_DEFAULTER', subject: { kind: 'legal_person', id, name: 'x' }, decision: DECISION },
      ['notice', 'publish'],
    );
    await waitFor(async () => (await s.decision(id)) === 'block', { message: 'the entry binds' });

    const trigger = s.platform.app.trigger.get<ServiceMessaging>(TRIGGER_MESSAGING);
    await trigger.stop();
    try {
      const ended = await api('POST', `${s.platform.url.registry}/v1/list-entries/${entryId}/end`, {
        token: s.t.court,
        body: { reason: 'repaired', note: '已履行' },
      });
      expect(ended.status).toBe(200);
      await waitFor(async () => (await s.decision(id)) === 'allow', {
        message: 'the check allows while trigger is stopped',
      });
      expect(await statuses('trigger', entryId)).toEqual(['issued']);
      expect(await statuses('enforcement', entryId)).toEqual(['issued']);
    } finally {
      await trigger.start();
    }
    await waitFor(async () => (await statuses('enforcement', entryId)).join() === 'lifted', {
      message: 'trigger’s lift reaches the department',
      timeoutMs: 60_000,
    });
    expect(await statuses('trigger', entryId)).toEqual(['lifted']);
    expect(await s.decision(id)).toBe('allow');
  });

  /**
   * Decision 0067: the ended entry's measures leave the check's memory the moment the end is heard, and
   * only that entry's: another entry of the same subject keeps the check blocking, one published after
   * the end binds, and the ends replayed from the topic change nothing.
   */
  it('drops only the ended entry: another keeps binding, a later one binds, a replay changes nothing', async () => {
    const id = uscc('ENDKAF02');
    const registry = { url: s.platform.url.registry };
    const publish = (listType: string) =>
      entry(
        registry,
        s.t.court,
        { listType, subject: { kind: 'legal_person', id, name: 'x' }, decision: DECISION },
        ['notice', 'publish'],
      );
    const check = async () =>
      (
        await api<{ decision: string; reasons: { entryId: string }[] }>(
          'POST',
          `${s.platform.url.enforcement}/v1/checks`,
          {
            token: s.t.finance,
            body: { subject: { id }, action: 'government_procurement_bid' },
          },
        )
      ).body;
    const binding = async () => [...new Set((await check()).reasons.map((r) => r.entryId))].sort();
    const end = async (entryId: string) => {
      const ended = await api('POST', `${s.platform.url.registry}/v1/list-entries/${entryId}/end`, {
        token: s.t.court,
        body: { reason: 'repaired', note: '已履行' },
      });
      expect(ended.status).toBe(200);
    };
    const marked = async () =>
      (
        await s.db.query<{ entry_id: string; ended: boolean }>(
          `SELECT entry_id, entry_ended_at IS NOT NULL AS ended FROM enforcement.assignments
           WHERE subject_id = $1 ORDER BY entry_id`,
          [id],
        )
      ).rows;

    // a second list binding FINANCE's bid as well: two entries of one subject in force at once
    await seedCourtCatalog(routesOf(s.platform), s.t.admin, {
      departments: [],
      listType: listTypeBody({ code: 'COURT_DEFAULTER_B', name: '失信被执行人名单（乙）' }),
      memorandum: { code: 'MOU-0067', title: 't', documentNo: 'd-0067' },
      measures: [measureBody('BAN_B', 'FINANCE')],
      memorandumAttempts: 100,
    });
    const first = await publish('COURT_DEFAULTER');
    const second = await publish('COURT_DEFAULTER_B');
    await waitFor(async () => (await binding()).length === 2, { message: 'both entries bind' });

    await end(first);
    await waitFor(async () => (await binding()).join() === second, {
      message: 'the first entry no longer binds',
    });
    expect((await check()).decision).toBe('block');

    await end(second);
    await waitFor(async () => (await check()).decision === 'allow', { message: 'nothing binds' });

    const third = await publish('COURT_DEFAULTER'); // listed again
    await waitFor(async () => (await binding()).join() === third, { message: 'a later entry binds' });
    const before = await marked();
    expect(before.filter((r) => r.ended).map((r) => r.entry_id)).toEqual([first, second].sort());

    // the two ends replayed as they are on the topic: heard again, dropped again, applied never
    const probe = new KafkaProbe(s.platform.topicPrefix);
    const kafka = new Kafka({
      clientId: 'test-replay',
      brokers: KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    const duplicates = async () =>
      (await messagesConsumed.get()).values
        .filter((v) => v.labels.consumer === 'enforcement.entry-ends' && v.labels.outcome === 'duplicate')
        .reduce((sum, v) => sum + v.value, 0);
    try {
      const reader = await probe.read(Topics.listEntries);
      const isEnd = (r: { key: string | null; value: string | null }) =>
        r.key === id && (r.value ?? '').includes('"credit.list-entry.ended.v1"');
      await waitFor(async () => reader.records.filter(isEnd).length === 2, { message: 'the ends read' });
      const seen = await duplicates();
      await producer.connect();
      await producer.send({
        topic: s.platform.topicPrefix + Topics.listEntries,
        messages: reader.records
          .filter(isEnd)
          .map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      });
      await waitFor(async () => (await duplicates()) >= seen + 2, { message: 'the replay handled' });
      await reader.close();
    } finally {
      await producer.disconnect();
      await probe.close();
    }
    expect(await binding()).toEqual([third]);
    expect((await check()).decision).toBe('block');
    expect(await marked()).toEqual(before);
    const recorded = await s.db.query(
      `SELECT entry_id FROM enforcement.ended_entries WHERE entry_id = ANY($1)`,
      [[first, second, third]],
    );
    expect(recorded.rows.map((r: { entry_id: string }) => r.entry_id).sort()).toEqual([first, second].sort());
  });

  /**
   * Decision 0067 for a related person (the compose story's step 5): the end's event names the company
   * only, yet its legal representative's check allows as soon as enforcement hears the end — while the
   * end's transaction is still held, before anything is written.
   */
  it("a company's end heard: its legal representative's check allows before the end is written", async () => {
    const id = uscc('ENDKAF03');
    const company = { kind: 'legal_person', id, name: 'r' };
    const rep = {
      role: 'legal_representative',
      kind: 'individual',
      id: idNumber('19810202', '303'),
      name: '代',
    };
    await seedCourtCatalog(routesOf(s.platform), s.t.admin, {
      departments: [],
      listType: listTypeBody({ code: 'COURT_DEFAULTER_R', name: '失信被执行人名单（丙）' }),
      memorandum: { code: 'MOU-0067-R', title: 't', documentNo: 'd-0067-r' },
      // the company's measure, and one that reaches (instead of it) its legal representative
      measures: [
        measureBody('BAN_CO', 'FINANCE'),
        measureBody('BAN_REP', 'FINANCE', { relatedRoles: ['legal_representative'] }),
      ],
      memorandumAttempts: 100,
    });
    const entryId = await entry(
      { url: s.platform.url.registry },
      s.t.court,
      { listType: 'COURT_DEFAULTER_R', subject: company, relatedPersons: [rep], decision: DECISION },
      ['notice', 'publish'],
    );
    await waitFor(async () => (await s.decision(id)) === 'block' && (await s.decision(rep.id)) === 'block', {
      message: 'the entry binds the company and its legal representative',
    });
    const rows = async () =>
      (
        await s.db.query<{ target_id: string; ended: boolean }>(
          `SELECT target_id, entry_ended_at IS NOT NULL AS ended FROM enforcement.assignments
           WHERE entry_id = $1 ORDER BY target_id`,
          [entryId],
        )
      ).rows;
    expect((await rows()).map((r) => r.target_id).sort()).toEqual([id, rep.id].sort());

    // the entry's rows locked: enforcement hears the end, and its transaction waits to write it
    const holder = new Client({ connectionString: s.platform.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM enforcement.assignments WHERE entry_id = $1 FOR UPDATE`, [entryId]);
      const ended = await api('POST', `${s.platform.url.registry}/v1/list-entries/${entryId}/end`, {
        token: s.t.court,
        body: { reason: 'repaired', note: '已履行' },
      });
      expect(ended.status).toBe(200);
      await waitFor(async () => (await s.decision(id)) === 'allow', { message: 'the company allowed' });
      expect(await s.decision(rep.id)).toBe('allow');
      expect((await rows()).every((r) => !r.ended)).toBe(true); // heard, not written
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    await waitFor(async () => (await rows()).every((r) => r.ended), { message: 'the end written' });
    expect(await s.decision(id)).toBe('allow');
    expect(await s.decision(rep.id)).toBe('allow');
  });
});
