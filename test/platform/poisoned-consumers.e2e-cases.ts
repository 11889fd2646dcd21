import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus } from '@credit/messaging';
import { DECISION, entry, idNumber, uscc } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { api, startPlatform, TestPlatform } from '../support/services';

type TrailItem = {
  eventId: string;
  type: string;
  time: string;
  actorDept: string | null;
  opaque?: true;
  data: Record<string, unknown>;
};

/**
 * Every consumer with a poisoned record among good ones, on the real bus and the real handlers: the good
 * ones are applied, the poisoned one is isolated — dead-lettered with its reason by the consumers that
 * may refuse it, kept as an opaque record by the trail — and nothing behind it waits. The events are the
 * platform's own (read back from the trail), copied with new ids, one copy poisoned.
 */
describe('consumers: one poisoned record never holds up the others', () => {
  let platform: TestPlatform;
  let probe: KafkaProbe;
  const dlq: Record<string, TopicReader> = {};
  const t: Record<string, string> = {};
  let entryId: string;
  let trail: TrailItem[];

  beforeAll(async () => {
    platform = await startPlatform();
    probe = new KafkaProbe(platform.topicPrefix);
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.court = await platform.token('COURT', ['initiator']);
    t.finance = await platform.token('FINANCE', ['implementer']);
    t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    await seedCatalog(platform, t.admin, { measures: [measureBody('POISON-BAN', 'FINANCE')] });
    entryId = await entry(
      { url: platform.url.registry },
      t.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: uscc('AAPQN001'), name: 'x' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    trail = await waitFor(
      async () => {
        const items = (
          await api<{ items: TrailItem[] }>(
            'GET',
            `${platform.url.tracking}/v1/list-entries/${entryId}/trail`,
            {
              token: t.supervisor,
            },
          )
        ).body.items;
        return items?.some((i) => i.type === EventTypes.assignmentIssued) && items;
      },
      { message: 'the entry published and its assignment issued' },
    );
    for (const topic of [Topics.listEntries, Topics.assignments, Topics.feedback])
      dlq[topic] = await probe.read(`${topic}.dlq`);
  });

  afterAll(async () => {
    await probe?.close();
    await platform?.close();
  });

  /** A copy of one of the platform's own events, with `change` applied to its data and a new id. */
  const copyOf = (type: string, change: (data: Record<string, unknown>) => Record<string, unknown>) => {
    const original = trail.find((i) => i.type === type)!;
    return createCloudEvent({
      type,
      source: 'credit/test',
      actorDept: original.actorDept ?? undefined,
      data: change(structuredClone(original.data)),
      time: new Date(original.time),
    });
  };

  const publish = (topic: string, events: ReturnType<typeof copyOf>[], key: string) =>
    platform.app.tracking
      .get(MessageBus)
      .publish(events.map((e) => ({ topic, key, value: JSON.stringify(e) })));

  const deadLetters = (topic: string, eventId: string) =>
    dlq[topic].records
      .filter((r) => r.value?.includes(eventId))
      .map((r) => [r.headers['dlq-consumer'], r.headers['dlq-code']]);

  it('list-entry events: fan-out and watch lists apply the good ones and dead-letter the poisoned one', async () => {
    const subject = (id: string, name: string) => (data: Record<string, unknown>) => ({
      ...data,
      entryId: randomUUID(),
      subject: { ...(data.subject as object), id, name },
    });
    const good1 = copyOf(EventTypes.listEntryPublished, subject(uscc('AAPQN002'), 'good one'));
    const poisoned = copyOf(EventTypes.listEntryPublished, subject('9133\u0000X', 'bad \u0000 name'));
    const good2 = copyOf(EventTypes.listEntryPublished, subject(uscc('AAPQN003'), 'good two'));
    await publish(Topics.listEntries, [good1, poisoned, good2], 'one-key');

    for (const good of [good1, good2]) {
      await waitFor(
        async () =>
          (
            await api<{ items: unknown[] }>(
              'GET',
              `${platform.url.trigger}/v1/assignments?entryId=${(good.data as { entryId: string }).entryId}`,
              { token: t.supervisor },
            )
          ).body.items?.length === 1,
        { message: 'the good copy fanned out', timeoutMs: 30_000 },
      );
    }
    await waitFor(() => deadLetters(Topics.listEntries, poisoned.id).length >= 2, {
      message: 'the poisoned copy dead-lettered by fan-out and watch lists',
      timeoutMs: 30_000,
    });
    expect(deadLetters(Topics.listEntries, poisoned.id).sort()).toEqual([
      ['enforcement.watch-lists', 'MESSAGE.HANDLER_FAILED'],
      ['trigger.list-entries', 'MESSAGE.HANDLER_FAILED'],
    ]);
    const poisonedEntry = (poisoned.data as { entryId: string }).entryId;
    const none = await api<{ items: unknown[] }>(
      'GET',
      `${platform.url.trigger}/v1/assignments?entryId=${poisonedEntry}`,
      {
        token: t.supervisor,
      },
    );
    expect(none.body.items).toEqual([]);
  });

  it('assignment events: the inbox applies the good ones and dead-letters the poisoned one', async () => {
    const assignment =
      (change: (measure: Record<string, unknown>) => Record<string, unknown>) =>
      (data: Record<string, unknown>) => ({
        ...data,
        assignmentId: randomUUID(),
        measure: change(data.measure as Record<string, unknown>),
      });
    const good1 = copyOf(
      EventTypes.assignmentIssued,
      assignment((m) => m),
    );
    const poisoned = copyOf(
      EventTypes.assignmentIssued,
      assignment((m) => ({ ...m, text: 'bad \u0000 text' })),
    );
    const good2 = copyOf(
      EventTypes.assignmentIssued,
      assignment((m) => m),
    );
    await publish(Topics.assignments, [good1, poisoned, good2], uscc('AAPQN001'));

    const inbox = async () =>
      new Set(
        (
          await api<{ items: { id: string }[] }>('GET', `${platform.url.enforcement}/v1/inbox?limit=100`, {
            token: t.finance,
          })
        ).body.items?.map((i) => i.id) ?? [],
      );
    await waitFor(
      async () => {
        const ids = await inbox();
        return [good1, good2].every((e) => ids.has((e.data as { assignmentId: string }).assignmentId));
      },
      { message: 'the good copies in the inbox', timeoutMs: 30_000 },
    );
    await waitFor(() => deadLetters(Topics.assignments, poisoned.id).length >= 1, {
      message: 'the poisoned copy dead-lettered by the inbox',
      timeoutMs: 30_000,
    });
    expect(deadLetters(Topics.assignments, poisoned.id)).toContainEqual([
      'enforcement.assignments',
      'MESSAGE.HANDLER_FAILED',
    ]);
    expect((await inbox()).has((poisoned.data as { assignmentId: string }).assignmentId)).toBe(false);

    // push delivery (enforcement.delivery) reads the same records: the good ones reach the department's
    // stream, the poisoned one (a NUL that no jsonb holds) is dead-lettered and not left in the way
    // (and by registry's copy of the measures in force, registry.subject-measures)
    const deadLetteredBy = (consumer: string) =>
      deadLetters(Topics.assignments, poisoned.id).some(([c]) => c === consumer);
    await waitFor(
      () => deadLetteredBy('enforcement.delivery') && deadLetteredBy('registry.subject-measures'),
      {
        message: 'the poisoned copy dead-lettered by push delivery and the subject measures too',
        timeoutMs: 30_000,
      },
    );
    expect(deadLetters(Topics.assignments, poisoned.id)).toContainEqual([
      'enforcement.delivery',
      'MESSAGE.HANDLER_FAILED',
    ]);
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      const streamed = async (ids: string[]) =>
        (
          await pg.query<{ event_id: string }>(
            `SELECT event_id FROM enforcement.stream_events WHERE event_id = ANY($1)`,
            [ids],
          )
        ).rows.map((r) => r.event_id);
      await waitFor(async () => (await streamed([good1.id, good2.id])).length === 2, {
        message: 'the good copies in the stream',
        timeoutMs: 30_000,
      });
      expect(await streamed([poisoned.id])).toEqual([]);
    } finally {
      await pg.end();
    }
  });

  it('re-screening: a malformed tracked entry is skipped, logged and counted; the others are issued', async () => {
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
    try {
      // trigger's own copies of three published entries; the middle one's related persons are not a list
      const persons = (n: string) =>
        JSON.stringify([{ id: idNumber(n), kind: 'individual', role: 'legal_representative', name: '张三' }]);
      for (const [i, id] of ids.entries()) {
        await pg.query(
          `INSERT INTO trigger.entries (entry_id, owner_dept, list_type, list_colour, info_class, subject_id,
             subject_kind, subject_name, subject_legacy_ids, related_persons, period_from, period_to, status,
             generation, suspended)
           VALUES ($1, 'COURT', 'COURT_DEFAULTER', 'black', 'A', $2, 'legal_person', 'x', '{}', $3::jsonb,
             now() - interval '1 day', now() + interval '1 year', 'published', 1, false)`,
          [id, uscc(`AAPQR00${i}`), i === 1 ? '"not a list"' : persons(`1980010${i}`)],
        );
      }
    } finally {
      await pg.end();
    }
    const added = await api<{ rescreenJob: { id: string } }>(
      'POST',
      `${platform.url.trigger}/v1/memoranda/MOU-TEST/measures`,
      {
        token: t.admin,
        body: measureBody('POISON-REP', 'FINANCE', { relatedRoles: ['legal_representative'] }),
      },
    );
    expect(added.status).toBe(201);
    const job = await waitFor(
      async () => {
        const res = await api<{ status: string; issued: number; skipped: number }>(
          'GET',
          `${platform.url.trigger}/v1/rescreen-jobs/${added.body.rescreenJob.id}`,
          { token: t.supervisor },
        );
        return res.body.status === 'completed' && res.body;
      },
      { message: 'the re-screening job completes past the malformed entry', timeoutMs: 30_000 },
    );
    expect(job.skipped).toBe(1);
    const check = new Client({ connectionString: platform.databaseUrl });
    await check.connect();
    try {
      const { rows } = await check.query<{ entry_id: string; n: number }>(
        `SELECT entry_id, count(*)::int AS n FROM trigger.assignments
         WHERE measure_code = 'POISON-REP' AND entry_id = ANY($1) GROUP BY entry_id`,
        [ids],
      );
      const assigned = new Map(rows.map((r) => [r.entry_id, r.n]));
      expect(ids.map((id) => assigned.get(id) ?? 0)).toEqual([1, 0, 1]);
    } finally {
      await check.end();
    }
  });

  it('feedback events: trigger applies the good one and dead-letters the invalid one', async () => {
    const issued = trail.find((i) => i.type === EventTypes.assignmentIssued)!.data as {
      assignmentId: string;
    };
    const feedback = (assignmentId: string) =>
      createCloudEvent({
        type: EventTypes.feedbackAcknowledged,
        source: 'credit/test',
        actorDept: 'FINANCE',
        data: { assignmentId, entryId, dept: 'FINANCE', actor: 'clerk', at: new Date().toISOString() },
      });
    const poisoned = feedback('not-a-uuid\u0000');
    const good = feedback(issued.assignmentId);
    await publish(Topics.feedback, [poisoned, good], uscc('AAPQN001'));

    await waitFor(
      async () =>
        (
          await api<{ items: { id: string; status: string }[] }>(
            'GET',
            `${platform.url.trigger}/v1/assignments?entryId=${entryId}`,
            { token: t.supervisor },
          )
        ).body.items?.find((a) => a.id === issued.assignmentId)?.status === 'acknowledged',
      { message: 'the good feedback applied', timeoutMs: 30_000 },
    );
    await waitFor(() => deadLetters(Topics.feedback, poisoned.id).length >= 1, {
      message: 'the invalid feedback dead-lettered',
      timeoutMs: 30_000,
    });
    expect(deadLetters(Topics.feedback, poisoned.id)).toEqual([
      ['trigger.feedback', 'MESSAGE.INVALID_PAYLOAD'],
    ]);
  });
});
