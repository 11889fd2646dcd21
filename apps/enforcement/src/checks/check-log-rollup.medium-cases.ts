import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { CHECK_DECISIONS, CHECK_STAGES, CheckDecision, CheckStage } from '@credit/contracts';
import { addDays, addMonthsToDay, dayStart, maintainMonthlyPartitions } from '@credit/persistence';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { LogPartitionsJob } from '../retention/log-partitions.job';
import { DEFAULT_LOG_PARTITIONS_OPTIONS } from '../retention/log-partitions.options';
import { CheckLog, CheckRecord } from './check-log';

type Summary = { items: Record<string, unknown>[] };
const HOUR = 3_600_000;
const TABLES = [
  'enforcement.checks',
  'enforcement.check_decisions',
  'enforcement.check_counts',
  'enforcement.check_subjects',
];

/** The summary as the route's documented rules make it, computed in the test from the checks kept. */
function expected(checks: CheckRecord[], decided: Set<string>, from?: Date, to?: Date, top = 10) {
  const kept = checks.filter((c) => (!from || c.at >= from) && (!to || c.at < to));
  const depts = [...new Set(kept.map((c) => c.dept))].sort();
  const hit = (c: CheckRecord) => c.reasons.length > 0;
  const count = <K extends string>(rows: CheckRecord[], key: (c: CheckRecord) => K) => {
    const out = new Map<K, { checks: number; hits: number; last: Date }>();
    for (const c of rows) {
      const o = out.get(key(c)) ?? { checks: 0, hits: 0, last: c.at };
      out.set(key(c), {
        checks: o.checks + 1,
        hits: o.hits + (hit(c) ? 1 : 0),
        last: c.at > o.last ? c.at : o.last,
      });
    }
    return [...out.entries()];
  };
  const beijingDay = (at: Date) => new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10);
  const byCount = (a: [string, { checks: number }], b: [string, { checks: number }]) =>
    b[1].checks - a[1].checks || (a[0] < b[0] ? -1 : 1);
  return {
    period: { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
    items: depts.map((dept) => {
      const own = kept.filter((c) => c.dept === dept);
      return {
        dept,
        checks: own.length,
        subjects: new Set(own.map((c) => c.subjectId)).size,
        hits: own.filter(hit).length,
        hitsDecided: own.filter((c) => decided.has(c.id)).length,
        byDecision: Object.fromEntries(
          CHECK_DECISIONS.map((d) => [d, own.filter((c) => c.decision === d).length]),
        ),
        byStage: Object.fromEntries(
          [...CHECK_STAGES, undefined].map((s) => [
            s ?? 'unspecified',
            own.filter((c) => c.stage === s).length,
          ]),
        ),
        byAction: count(own, (c) => c.action)
          .sort(byCount)
          .map(([action, n]) => ({ action, checks: n.checks, hits: n.hits })),
        daily: count(own, (c) => beijingDay(c.at))
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([day, n]) => ({ day, checks: n.checks, hits: n.hits })),
        topSubjects: count(own, (c) => c.subjectId)
          .sort(byCount)
          .slice(0, top)
          .map(([subjectId, n]) => ({
            subjectId,
            checks: n.checks,
            hits: n.hits,
            lastCheckedAt: n.last.toISOString(),
          })),
      };
    }),
    nextCursor: null,
  };
}

/**
 * Decision 0072: the supervisors' check-log summary answers from the rollups the check log's writes keep
 * — the same answer as counting the rows: over several days, departments, answers, stages and actions,
 * across a UTC and a Beijing day boundary, with periods on and off the hour; a batch written again and a
 * decision recorded twice count once; retention drops a day's counts with the day's rows.
 */
describe('the check-log summary from its rollups (decision 0072)', () => {
  let platform: MediumPlatform;
  let db: DataSource;
  let admin: string;
  const today = dayStart(new Date());
  const yesterday = addDays(today, -1);
  const tomorrow = addDays(today, 1);
  const checks: CheckRecord[] = [];
  const decided = new Set<string>();

  const summary = async (query: Record<string, string | number>) => {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]) => [k, String(v)] as [string, string]),
    );
    const res = await platform.api<Summary>('GET', `/v1/check-log/summary?${search.toString()}`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const periods = () => [
    { from: yesterday, to: addDays(tomorrow, 1) }, // whole days: the rollups alone
    // off the hour at both ends, across the Beijing day's start (16:00 UTC) and the UTC day's
    { from: new Date(yesterday.getTime() + 16 * HOUR - 1), to: new Date(today.getTime() + 8.5 * HOUR + 1) },
    { from: new Date(today.getTime() + 8 * HOUR), to: new Date(today.getTime() + 8.75 * HOUR) }, // one hour's part
    { from: undefined, to: undefined }, // no period
  ];
  const same = async (top?: number) => {
    for (const { from, to } of periods()) {
      const query = {
        ...(from ? { from: from.toISOString() } : {}),
        ...(to ? { to: to.toISOString() } : {}),
        ...(top !== undefined ? { top } : {}),
      };
      expect(await summary(query)).toEqual(expected(checks, decided, from, to, top));
    }
  };

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement'] });
    db = platform.app.get<DataSource>(ENFORCEMENT_DB);
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    // yesterday's days exist whenever the template was made
    await db.transaction(async (m) => {
      for (const table of TABLES) await maintainMonthlyPartitions(m, { table, unit: 'day' }, yesterday, 3);
    });
    const at = (base: Date, hours: number) => base.getTime() + hours * HOUR;
    const times = [
      at(yesterday, 3),
      at(yesterday, 16) - 1, // the last instant of a Beijing day
      at(yesterday, 16), // the first of the next
      at(today, 0) - 1, // the last instant of a UTC day
      at(today, 0),
      at(today, 8.5),
      at(today, 8.5),
      at(tomorrow, 12),
    ].map((t) => new Date(t));
    const depts = ['COURT', 'FINANCE', 'TAX'];
    const actions = ['government_procurement_bid', 'loan_approval', 'licence'];
    const stages: (CheckStage | undefined)[] = [...CHECK_STAGES, undefined];
    let n = 0;
    for (const when of times)
      for (const dept of depts) {
        n += 1;
        const decision: CheckDecision = CHECK_DECISIONS[n % CHECK_DECISIONS.length];
        checks.push({
          id: randomUUID(),
          dept,
          actor: `clerk-${n % 2}`,
          subjectId: `S${n % 5}`, // subjects checked again, by several departments
          action: actions[n % actions.length],
          stage: stages[n % stages.length],
          decision,
          reasons: decision === 'allow' ? [] : [{ entryId: randomUUID(), measureCode: 'M001', dept }],
          binding: [],
          at: when,
        });
      }
    const log = platform.get(CheckLog);
    for (const c of checks) log.record(c);
    await log.flush();
  });
  afterAll(() => platform?.close());

  it('answers as the rows do, on and off the hour, with the most-checked subjects cut at top', async () => {
    const [{ n }] = await platform.sql<{ n: string }>(`SELECT count(*) AS n FROM enforcement.checks`);
    expect(Number(n)).toBe(checks.length);
    await same();
    await same(1);
    // a department's own figures alone (its most checked by a bounded sort: cut at top, ties by identifier)
    const tax = checks.filter((c) => c.dept === 'TAX');
    const res = await summary({ dept: 'TAX', from: yesterday.toISOString(), to: tomorrow.toISOString() });
    expect(res).toEqual(expected(tax, decided, yesterday, tomorrow));
    for (const top of [1, 2])
      expect(
        await summary({ dept: 'TAX', from: yesterday.toISOString(), to: tomorrow.toISOString(), top }),
      ).toEqual(expected(tax, decided, yesterday, tomorrow, top));
  });

  it('counts a check decided once, however many decisions and replays it gets', async () => {
    const hits = checks.filter((c) => c.reasons.length > 0).slice(0, 3);
    const decide = (c: CheckRecord, assignment: string) =>
      platform.sql(
        `INSERT INTO enforcement.check_decisions (check_id, assignment_id, outcome, reason, decided_by,
           decided_at, checked_at)
         VALUES ($1, $2, 'applied', NULL, 'clerk', now(), $3) ON CONFLICT DO NOTHING`,
        [c.id, assignment, c.at],
      );
    const [first, second] = [randomUUID(), randomUUID()];
    await decide(hits[0], first);
    await decide(hits[0], first); // the same decision again
    await decide(hits[0], second); // another assignment of the same check, later
    await decide(hits[1], first);
    for (const c of hits.slice(0, 2)) decided.add(c.id);
    await same();
  });

  it('counts a batch written again once: the log refuses the rows and the counts with them', async () => {
    const log = platform.get(CheckLog);
    for (const c of checks.slice(0, 6)) log.record(c);
    await log.flush();
    const [{ n }] = await platform.sql<{ n: string }>(`SELECT count(*) AS n FROM enforcement.checks`);
    expect(Number(n)).toBe(checks.length);
    await same();
  });

  it('moves an anonymised subject’s counts to its pseudonym', async () => {
    await platform.sql(`UPDATE enforcement.checks SET subject_id = 'ANON-1' WHERE subject_id = 'S3'`);
    for (const c of checks) if (c.subjectId === 'S3') c.subjectId = 'ANON-1';
    const [{ n }] = await platform.sql<{ n: string }>(
      `SELECT count(*) AS n FROM enforcement.check_subjects WHERE subject_id = 'S3'`,
    );
    expect(Number(n)).toBe(0);
    await same();
  });

  it('drops a day’s counts with the day’s rows, and keeps the rest', async () => {
    const job = new LogPartitionsJob(
      db,
      { ...DEFAULT_LOG_PARTITIONS_OPTIONS, checkLogRetentionMonths: 1, intervalMs: 0 },
      pino({ level: 'silent' }),
    );
    // a month after today: yesterday is past the retention, today is not
    const pass = await job.run(new Date(addMonthsToDay(today, 1).getTime() + HOUR));
    for (const table of TABLES)
      expect(pass.tables[table].dropped).toContain(
        `${table.split('.')[1]}_p${yesterday.toISOString().slice(0, 10).replace(/-/g, '')}`,
      );
    const [left] = await platform.sql<{ checks: number; counts: number; subjects: number }>(
      `SELECT (SELECT count(*) FROM enforcement.checks WHERE checked_at < $1)::int AS checks,
         (SELECT count(*) FROM enforcement.check_counts WHERE hour < $1)::int AS counts,
         (SELECT count(*) FROM enforcement.check_subjects WHERE hour < $1)::int AS subjects`,
      [today],
    );
    expect(left).toEqual({ checks: 0, counts: 0, subjects: 0 });
    checks.splice(0, checks.length, ...checks.filter((c) => c.at >= today));
    await same();
  });
});
