import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxRecipe, ServiceMessaging } from '@credit/messaging';
import { TrackedEntry } from '../../apps/trigger/src/assignments/tracked-entry.entity';
import { AssignmentIssuer } from '../../apps/trigger/src/fan-out/assignment-issuer';
import { issuedEventId, rebuildIssuedEvents } from '../../apps/trigger/src/fan-out/issued-recipe';
import { TRIGGER_DB, TRIGGER_MESSAGING } from '../../apps/trigger/src/trigger.tokens';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { startPlatform, TestPlatform } from '../support/services';
import { idNumber, uscc } from '../registry/registry-fixtures';
import { allowWebhookHost, subscribeWebhook } from '../support/webhook-hosts';

/**
 * A fan-out writes its issued events as one outbox recipe (decision 0016); when the writer's in-memory
 * copy is gone, the relay rebuilds them from trigger's rows. The rebuild must be the same records, byte
 * for byte: same keys, same JSON, same event ids — here compared inside the issuing transaction (rolled
 * back, so nothing is published), for the subject, related persons, a webhook subscription, a paused
 * entry and a replay that issues only what is missing.
 */
describe('trigger: issued events rebuilt from their outbox recipe', () => {
  let platform: TestPlatform;
  let db: DataSource;
  let messaging: ServiceMessaging;
  let issuer: AssignmentIssuer;

  beforeAll(async () => {
    platform = await startPlatform();
    const admin = await platform.token('CREDIT_OFFICE', ['admin']);
    await seedCatalog(platform, admin, {
      listType: { subjectKinds: ['legal_person', 'individual'] },
      measures: [
        measureBody('RECIPE-BID', 'FINANCE', { subjectKinds: ['legal_person', 'individual'] }),
        measureBody('RECIPE-CONSUME', 'COURT', {
          text: '限制法定代表人高消费',
          relatedRoles: ['legal_representative', 'principal'],
          actions: ['high_consumption'],
          mode: 'warn',
        }),
        measureBody('RECIPE-HOOK', 'NFRA', { feedbackWorkingDays: 3, mode: 'reference' }),
      ],
    });
    const nfra = await platform.token('NFRA', ['implementer']);
    // a name no DNS here resolves: refused until an admin allow-lists it (decision 0022)
    await allowWebhookHost(platform, admin, 'nfra.example.test');
    await subscribeWebhook(platform, nfra, 'RECIPE-HOOK', 'https://nfra.example.test/hooks/credit');
    db = platform.app.trigger.get(TRIGGER_DB);
    messaging = platform.app.trigger.get(TRIGGER_MESSAGING);
    issuer = platform.app.trigger.get(AssignmentIssuer);
  });

  afterAll(async () => {
    await platform?.close();
  });

  const trackedEntry = (n: number, extra: Partial<TrackedEntry> = {}): TrackedEntry =>
    Object.assign(new TrackedEntry(), {
      entryId: randomUUID(),
      ownerDept: 'COURT',
      listType: 'COURT_DEFAULTER',
      listColour: 'black',
      subjectId: uscc(`MA2H7Q${String(n).padStart(2, '0')}`),
      subjectKind: 'legal_person',
      subjectName: `杭州某某科技有限公司${n}`,
      subjectLegacyIds: n % 2 ? [`MA2H7Q${n}X`] : [],
      relatedPersons: [
        {
          role: 'legal_representative',
          kind: 'individual',
          id: idNumber('19800101', `1${n}0`),
          name: '张三',
        },
        { role: 'principal', kind: 'individual', id: idNumber('19850505', `2${n}0`), name: '李四' },
      ],
      periodFrom: new Date('2026-10-01T00:00:00.000Z'),
      periodTo: new Date('2028-09-30T16:00:00.000Z'),
      status: 'published',
      generation: 0,
      suspended: false,
      infoClass: 'B',
      ...extra,
    } satisfies TrackedEntry);

  /** Issues in a transaction that is rolled back; returns the recipe written and its rebuild. */
  async function issueAndRebuild(
    prepare: (manager: import('typeorm').EntityManager) => Promise<TrackedEntry[]>,
    fresh: boolean,
  ) {
    const written: OutboxRecipe[] = [];
    const addRecipe = messaging.outbox.addRecipe.bind(messaging.outbox);
    const spy = jest
      .spyOn(messaging.outbox, 'addRecipe')
      .mockImplementation(async (manager, recipe, options) => {
        written.push(recipe);
        return addRecipe(manager, recipe, options);
      });
    let result: { rows: { recipe: string; events: number }[]; rebuilt: unknown; types: string[] } | undefined;
    try {
      await db
        .transaction(async (manager) => {
          const entries = await prepare(manager);
          const measures = await issuer.applicableMeasuresMany(manager, entries);
          const at = new Date('2026-12-02T03:04:05.678Z');
          await issuer.issueMany(
            manager,
            entries.map((entry, i) => ({
              entry,
              measures: measures.get(entry.entryId) ?? [],
              cause: { actorDept: 'COURT', correlationId: randomUUID(), at: new Date(at.getTime() + i) },
            })),
            { fresh },
          );
          const rows: { recipe: string; events: number }[] = await manager.query(
            `SELECT recipe::text AS recipe, events FROM trigger.message_outbox WHERE recipe IS NOT NULL ORDER BY id`,
          );
          const types: { event_type: string }[] = await manager.query(
            `SELECT event_type FROM trigger.message_outbox ORDER BY id`,
          );
          result = {
            rows,
            types: types.map((t) => t.event_type),
            rebuilt: await rebuildIssuedEvents(
              manager,
              rows.map((r) => JSON.parse(r.recipe).data),
            ),
          };
          throw new Error('rolled back on purpose');
        })
        .catch((err: Error) => {
          if (err.message !== 'rolled back on purpose') throw err;
        });
    } finally {
      spy.mockRestore();
    }
    return { written, ...result! };
  }

  const insertEntries = async (manager: import('typeorm').EntityManager, entries: TrackedEntry[]) => {
    await manager.save(entries);
    return entries;
  };

  it('rebuilds exactly the records the writer built: subject, related persons, webhook, one row a transaction', async () => {
    const entries = [trackedEntry(1), trackedEntry(2), trackedEntry(3)];
    const { written, rows, rebuilt } = await issueAndRebuild((m) => insertEntries(m, entries), true);
    expect(written).toHaveLength(1);
    // per entry: the bid measure and the webhook measure reach the company, the consumption measure its two persons
    expect(written[0].records).toHaveLength(3 * 4);
    expect(rows).toEqual([{ recipe: expect.any(String), events: 12 }]);
    expect(rebuilt).toEqual([written[0].records]);

    const events = written[0].records.map((r) => JSON.parse(String(r.value)));
    expect(new Set(events.map((e) => e.id)).size).toBe(12);
    for (const e of events) expect(e.id).toBe(issuedEventId(e.data.assignmentId));
    const hooked = events.filter((e) => e.data.measure.code === 'RECIPE-HOOK');
    expect(hooked.map((e) => e.data.delivery)).toEqual(
      Array(3).fill({
        subscribed: true,
        channel: 'webhook',
        webhookUrl: 'https://nfra.example.test/hooks/credit',
      }),
    );
    const persons = events.filter((e) => e.data.measure.code === 'RECIPE-CONSUME');
    expect(persons.map((e) => e.data.target.role).sort()).toEqual([
      'legal_representative',
      'legal_representative',
      'legal_representative',
      'principal',
      'principal',
      'principal',
    ]);
    expect(persons.every((e) => e.data.target.name === '张三' || e.data.target.name === '李四')).toBe(true);
    expect(written[0].records.map((r) => r.key)).toEqual(events.map((e) => e.data.subject.id));
  });

  it('a paused entry: the same rebuild, its suspensions written after the recipe as ordinary rows', async () => {
    const entry = trackedEntry(4, { suspended: true });
    const { written, rebuilt, types } = await issueAndRebuild((m) => insertEntries(m, [entry]), true);
    expect(rebuilt).toEqual([written[0].records]);
    expect(types).toEqual([
      'credit.assignment.issued.v1', // the recipe, standing for the four issued events
      ...Array(4).fill('credit.assignment.suspended.v1'),
    ]);
  });

  it('a replay issues only the missing assignments, and their rebuild matches too', async () => {
    const entry = trackedEntry(5);
    const { written, rebuilt } = await issueAndRebuild(async (manager) => {
      await insertEntries(manager, [entry]);
      // an earlier transaction already issued the bid measure's assignment
      const [bid] = await manager.query(
        `SELECT id FROM trigger.measures WHERE code = 'RECIPE-BID' AND current`,
      );
      await manager.query(
        `INSERT INTO trigger.assignments (id, entry_id, measure_id, measure_code, measure_version, dept, list_type,
           subject_id, target_id, target_kind, status, generation, subscribed, channel, period_from, period_to,
           issued_at, feedback_deadline, updated_at)
         VALUES ($1, $2, $3, 'RECIPE-BID', 1, 'FINANCE', 'COURT_DEFAULTER', $4, $4, 'legal_person', 'issued', 0,
           false, 'pull', $5, $6, now(), now(), now())`,
        [randomUUID(), entry.entryId, bid.id, entry.subjectId, entry.periodFrom, entry.periodTo],
      );
      return [entry];
    }, false);
    expect(written[0].records).toHaveLength(3);
    expect(written[0].records.map((r) => JSON.parse(String(r.value)).data.measure.code)).not.toContain(
      'RECIPE-BID',
    );
    expect(rebuilt).toEqual([written[0].records]);
  });
});
