import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TrackingModule } from '../../apps/tracking/src/tracking.module';
import { mintToken } from '@credit/auth';
import { EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus } from '@credit/messaging';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { uscc } from '../registry/registry-fixtures';
import { admitDepartment } from '../support/departments';
import { createTestDatabase, KAFKA_BROKERS, uniquePrefix, waitFor } from '../support/infra';
import { api, TEST_JWT_SECRET } from '../support/services';

const DAY = 86_400_000;
const OWNER = 'MARKET';

type Figures = Record<string, Record<string, number>>;

/**
 * Decision 0030 in tracking, over real Kafka and PostgreSQL: a repair application withdrawn by the
 * applicant, and a statement, an objection and a repair application closed when their entry ended, all
 * past their deadlines before they closed: none is overdue now, each is in the entry's trail, and a
 * document issued again after a correction names the version it replaces.
 */
describe('tracking: withdrawn and closed applications stop counting against the owner', () => {
  let app: NestFastifyApplication;
  let url: string;
  let drop: () => Promise<void>;
  let supervisor: string;

  const now = Date.now();
  const t0 = now - 30 * DAY;
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const subject = { kind: 'legal_person' as const, id: uscc('CLXDE001'), name: '某某公司' };
  const listType = { code: 'MARKET_SERIOUS', colour: 'black', infoClass: 'B', severity: 'serious' };
  const entryId = randomUUID();
  const [withdrawn, closedRepair, statementId, objectionId] = [
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
  ];
  const [decisionV1, decisionV2] = [randomUUID(), randomUUID()];
  const onEntry = { entryId, listType, ownerDept: OWNER, subject };
  const event = (type: string, time: string, data: Record<string, unknown>, actorDept = OWNER) =>
    createCloudEvent({ type, source: '/credit/registry', actorDept, data, time: new Date(time) });
  const repair = (type: string, applicationId: string, time: string, extra: Record<string, unknown>) =>
    event(type, time, { applicationId, ...onEntry, at: time, ...extra });
  const closed = (kind: string, applicationId: string, time: string) =>
    event(EventTypes.dueProcessClosed, time, {
      kind,
      applicationId,
      ...onEntry,
      outcome: 'closed_entry_ended',
      endReason: 'revoked',
      closedAt: time,
    });
  const events = [
    event(EventTypes.statementReceived, at(1), {
      statementId,
      ...onEntry,
      filedBy: { role: 'subject' },
      receivedAt: at(1),
    }),
    event(EventTypes.listEntryObjectionOpened, at(2), {
      objectionId,
      ...onEntry,
      suspendMeasures: false,
      deadline: at(4),
      openedAt: at(2),
    }),
    event(EventTypes.documentIssued, at(3), {
      documentId: decisionV1,
      entryId,
      kind: 'listing_decision',
      ownerDept: OWNER,
      title: '列入决定书',
      issuedAt: at(3),
    }),
    event(EventTypes.documentIssued, at(5), {
      documentId: decisionV2,
      entryId,
      kind: 'listing_decision',
      ownerDept: OWNER,
      title: '列入决定书',
      issuedAt: at(5),
      version: 2,
      supersedes: decisionV1,
    }),
    repair(EventTypes.repairSubmitted, withdrawn, at(6), {
      filedBy: { role: 'subject' },
      acceptDeadline: at(8),
    }),
    repair(EventTypes.repairWithdrawn, withdrawn, at(10), { withdrawnBy: { role: 'subject' } }),
    repair(EventTypes.repairSubmitted, closedRepair, at(11), {
      filedBy: { role: 'credit_office', dept: 'CREDIT_OFFICE' },
      acceptDeadline: at(13),
    }),
    closed('statement', statementId, at(20)),
    closed('objection', objectionId, at(20)),
    closed('repair', closedRepair, at(20)),
  ];

  beforeAll(async () => {
    const database = await createTestDatabase();
    const config = loadConfig(ServiceConfig, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: uniquePrefix(),
      KAFKA_PARTITIONS: '3',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    });
    app = await createServiceApp({
      name: 'tracking',
      title: 'tracking',
      config,
      logger: createRootLogger('tracking', config.LOG_LEVEL),
      modules: [TrackingModule.register({ databaseUrl: database.url, poolSize: 4 })],
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    drop = () => database.drop();
    admitDepartment([app], 'CREDIT_OFFICE', ['supervisor']);
    supervisor = await mintToken(
      { sub: 'supervisor', dept: 'CREDIT_OFFICE', roles: ['supervisor'] },
      TEST_JWT_SECRET,
    );
    await app
      .get(MessageBus)
      .publish(events.map((e) => ({ topic: Topics.listEntries, key: subject.id, value: JSON.stringify(e) })));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('counts none of them as overdue now; the objection closed after its deadline was late', async () => {
    const owner = await waitFor(
      async () => {
        const body = (
          await api<{ items: ({ dept: string } & Figures)[] }>('GET', `${url}/v1/stats/due-process`, {
            token: supervisor,
          })
        ).body;
        const o = body.items?.find((i) => i.dept === OWNER);
        return o?.repairs.submitted === 2 && o.statements.received === 1 && o.documents.issued === 2 && o;
      },
      { message: 'every event counted', timeoutMs: 30_000 },
    );
    const trail = await waitFor(
      async () => {
        const items =
          (
            await api<{ items: { type: string }[] }>('GET', `${url}/v1/list-entries/${entryId}/trail`, {
              token: supervisor,
            })
          ).body.items ?? [];
        return items.length === events.length && items;
      },
      { message: 'the whole trail' },
    );
    expect(owner.statements).toMatchObject({ received: 1, answered: 0, unanswered: 0, closed: 1 });
    expect(owner.objections).toMatchObject({
      opened: 1,
      resolved: 0,
      overdueNow: 0,
      everOverdue: 1,
      closed: 1,
    });
    expect(owner.repairs).toMatchObject({
      submitted: 2,
      accepted: 0,
      overdueNow: 0,
      withdrawn: 1,
      closed: 1,
    });
    const overdue = await api<{ items: unknown[] }>('GET', `${url}/v1/overdue/repairs`, {
      token: supervisor,
    });
    expect(overdue.body.items).toEqual([]);
    expect(trail.map((i) => i.type)).toEqual(
      expect.arrayContaining([EventTypes.repairWithdrawn, EventTypes.dueProcessClosed]),
    );
  });
});
