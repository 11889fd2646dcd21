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
import { CheckLogSummaryQueries, SUMMARY_PLAN, subjectSources } from './check-log-summary.queries';

type Summary = { items: Record<string, unknown>[] };
const HOUR = 3_600_000;
const TABLES = [
  'enforcement.checks',
  'enforcement.check_decisions',
  'enforcement.check_counts',
  'enforcement.check_subject_days',
];
const DAY = 24 * HOUR;

type Counts = { checks: number; hits: number; last: Date };
const hit = (c: CheckRecord) => c.reasons.length > 0;
const beijingDay = (at: Date) => new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10);
function count<K extends string>(rows: CheckRecord[], key: (c: CheckRecord) => K): [K, Counts][] {
  const out = new Map<K, Counts>();
  for (const c of rows) {
    const o = out.get(key(c)) ?? { checks: 0, hits: 0, last: c.at };
    out.set(key(c), {
      checks: o.checks + 1,
      hits: o.hits + (hit(c) ? 1 : 0),
      last: c.at > o.last ? c.at : o.last,
    });
  }
  return [...out.entries()];
}
const byCount = (a: [string, { checks: number }], b: [string, { checks: number }]) =>
  b[1].checks - a[1].checks || (a[0] < b[0] ? -1 : 1);

/**
 * A department's most checked, as documented (decisions 0079, 0081): ranked among each Beijing day's `top`
 * most checked — a day inside the period by its checks; a day the period cuts by its checks in the
 * period when it has at most `edgeRows` of them there, by the whole day's otherwise — with their totals
 * in the period exact; estimated unless one list ranked by the period's own counts gave them, or the last
 * was checked more than the sum of each full list's `top`-th count.
 */
function mostChecked(
  all: CheckRecord[],
  from: Date | undefined,
  to: Date | undefined,
  top: number,
  edgeRows: number,
) {
  const inside = (c: CheckRecord) => (!from || c.at >= from) && (!to || c.at < to);
  const own = all.filter(inside);
  const ranked = count(own, (c) => c.subjectId).sort(byCount);
  let [bound, lists, exact] = [0, 0, true];
  const candidates = new Set<string>();
  for (const [day] of count(own, (c) => beijingDay(c.at))) {
    const start = new Date(`${day}T00:00:00+08:00`);
    const whole = (!from || start >= from) && (!to || start.getTime() + DAY <= to.getTime());
    const ofDay = all.filter((c) => beijingDay(c.at) === day);
    const inPeriod = ofDay.filter(inside);
    const byPeriod = whole || inPeriod.length <= edgeRows;
    const picks = count(byPeriod ? inPeriod : ofDay, (c) => c.subjectId)
      .sort(byCount)
      .slice(0, top);
    for (const [subject] of picks) candidates.add(subject);
    if (top > 0 && picks.length === top) bound += picks[top - 1][1].checks;
    lists += 1;
    exact &&= byPeriod;
  }
  const listed = ranked.filter(([subject]) => candidates.has(subject)).slice(0, top);
  const last = listed[listed.length - 1];
  const proven = !last || (lists <= 1 && exact) || bound === 0 || last[1].checks > bound;
  return { top: listed, estimated: !proven };
}

/** The summary as the route's documented rules make it, computed in the test from the checks kept. */
function expected(
  checks: CheckRecord[],
  decided: Set<string>,
  from?: Date,
  to?: Date,
  top = 10,
  edgeRows = SUMMARY_PLAN.edgeRows,
) {
  const kept = checks.filter((c) => (!from || c.at >= from) && (!to || c.at < to));
  const depts = [...new Set(kept.map((c) => c.dept))].sort();
  return {
    period: { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
    items: depts.map((dept) => {
      const own = kept.filter((c) => c.dept === dept);
      const most = mostChecked(
        checks.filter((c) => c.dept === dept),
        from,
        to,
        top,
        edgeRows,
      );
      return {
        dept,
        checks: own.length,
        subjects: new Set(own.map((c) => c.subjectId)).size,
        subjectsEstimated: false,
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
        topSubjects: most.top.map(([subjectId, n]) => ({
          subjectId,
          checks: n.checks,
          hits: n.hits,
          lastCheckedAt: n.last.toISOString(),
        })),
        topSubjectsEstimated: most.estimated,
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
  const periods = (): { from?: Date; to?: Date }[] => [
    { from: yesterday, to: addDays(tomorrow, 1) }, // whole UTC days: the hourly rollups alone
    // whole Beijing days (from 16:00 UTC): the days' rollup (decision 0079), several and one
    { from: new Date(yesterday.getTime() - 8 * HOUR), to: new Date(tomorrow.getTime() + 16 * HOUR) },
    { from: new Date(yesterday.getTime() + 16 * HOUR), to: new Date(today.getTime() + 16 * HOUR) },
    // off the hour at both ends, across the Beijing day's start (16:00 UTC) and the UTC day's
    { from: new Date(yesterday.getTime() + 16 * HOUR - 1), to: new Date(today.getTime() + 8.5 * HOUR + 1) },
    { from: new Date(today.getTime() + 8 * HOUR), to: new Date(today.getTime() + 8.75 * HOUR) }, // one hour's part
    { from: undefined, to: undefined }, // no period: every day, from the days' rollup
  ];
  /**
   * Every period answers as the rows do: through the route (the parts of a day at the ends from the
   * log's rows: they are small here), and with `edgeRows` given from the day rollup's rows, the plan a
   * large part takes (decision 0081).
   */
  const same = async (top?: number, within = periods(), edgeRows?: number) => {
    for (const { from, to } of within) {
      const query = {
        ...(from ? { from: from.toISOString() } : {}),
        ...(to ? { to: to.toISOString() } : {}),
        ...(top !== undefined ? { top } : {}),
      };
      const answer =
        edgeRows === undefined
          ? await summary(query)
          : JSON.parse(
              JSON.stringify(
                await platform
                  .get(CheckLogSummaryQueries)
                  .summary({ sub: 'admin', dept: 'CREDIT_OFFICE', roles: ['admin'] }, query, { edgeRows }),
              ),
            );
      expect(answer).toEqual(expected(checks, decided, from, to, top, edgeRows));
    }
  };

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement'] });
    db = platform.app.get<DataSource>(ENFORCEMENT_DB);
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    // yesterday's days exist whenever the template was made
    await db.transaction(async (m) => {
      // (and the day before: a Beijing day's subjects sit in the UTC day it starts in)
      for (const table of TABLES)
        await maintainMonthlyPartitions(m, { table, unit: 'day' }, addDays(yesterday, -1), 4);
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
    await same(0);
    // the parts of a day at the ends read from the day rollup: each subject's first and last check
    // that day, and the log's index where those cannot tell (checked before and after the part)
    for (const top of [undefined, 1, 0]) await same(top, periods(), 0);
    // a department's own figures alone (its most checked by a bounded sort: cut at top, ties by identifier)
    const tax = checks.filter((c) => c.dept === 'TAX');
    const res = await summary({ dept: 'TAX', from: yesterday.toISOString(), to: tomorrow.toISOString() });
    expect(res).toEqual(expected(tax, decided, yesterday, tomorrow));
    for (const top of [1, 2])
      expect(
        await summary({ dept: 'TAX', from: yesterday.toISOString(), to: tomorrow.toISOString(), top }),
      ).toEqual(expected(tax, decided, yesterday, tomorrow, top));
    // and over whole Beijing days (decision 0079)
    const [from, to] = [new Date(yesterday.getTime() - 8 * HOUR), new Date(tomorrow.getTime() + 16 * HOUR)];
    for (const top of [1, 2, 10])
      expect(await summary({ dept: 'TAX', from: from.toISOString(), to: to.toISOString(), top })).toEqual(
        expected(tax, decided, from, to, top),
      );
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

  it('answers a region’s supervisor with its region’s departments only, whole days and parts alike', async () => {
    // COURT and TAX in 330200, FINANCE elsewhere (regions from the registered departments, decision 0019)
    await platform.sql(
      `INSERT INTO enforcement.known_departments (code, region) VALUES ('COURT', '330200'), ('TAX', '330200'),
         ('FINANCE', '330300') ON CONFLICT (code) DO UPDATE SET region = EXCLUDED.region`,
    );
    const inRegion = checks.filter((c) => c.dept !== 'FINANCE');
    const supervisor = {
      sub: 'sup',
      dept: 'CREDIT_OFFICE',
      roles: ['supervisor' as const],
      region: '330200',
    };
    for (const { from, to } of periods())
      for (const edgeRows of [SUMMARY_PLAN.edgeRows, 0]) {
        const query = {
          ...(from ? { from: from.toISOString() } : {}),
          ...(to ? { to: to.toISOString() } : {}),
        };
        const answer = JSON.parse(
          JSON.stringify(await platform.get(CheckLogSummaryQueries).summary(supervisor, query, { edgeRows })),
        );
        expect(answer).toEqual(expected(inRegion, decided, from, to, 10, edgeRows));
      }
  });

  it('moves an anonymised subject’s counts to its pseudonym', async () => {
    await platform.sql(`UPDATE enforcement.checks SET subject_id = 'ANON-1' WHERE subject_id = 'S3'`);
    for (const c of checks) if (c.subjectId === 'S3') c.subjectId = 'ANON-1';
    const [{ n }] = await platform.sql<{ n: string }>(
      `SELECT count(*) AS n FROM enforcement.check_subject_days WHERE subject_id = 'S3'`,
    );
    expect(Number(n)).toBe(0);
    await same();
    await same(undefined, periods(), 0); // its first and last checks moved with it
  });

  it('asks the log where a day’s first checks are not known (rolled up before they were kept, 0081)', async () => {
    await platform.sql(`UPDATE enforcement.check_subject_days SET first_checked_at = NULL`);
    for (const top of [undefined, 1]) await same(top, periods(), 0);
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
    const [left] = await platform.sql<{ checks: number; counts: number; days: number }>(
      `SELECT (SELECT count(*) FROM enforcement.checks WHERE checked_at < $1)::int AS checks,
         (SELECT count(*) FROM enforcement.check_counts WHERE hour < $1)::int AS counts,
         (SELECT count(*) FROM enforcement.check_subject_days WHERE day < $1)::int AS days`,
      [today],
    );
    expect(left).toEqual({ checks: 0, counts: 0, days: 0 });
    checks.splice(0, checks.length, ...checks.filter((c) => c.at >= today));
    // a Beijing day's subjects went with the UTC day it starts in (yesterday 16:00): its last 16 hours
    // of checks stay a day longer, so the periods that do not read that day whole answer as the rows do
    const gone = new Date(yesterday.getTime() + 16 * HOUR);
    const kept = periods().filter((p) => {
      const { whole } = subjectSources(p);
      return (
        !whole ||
        (whole.from !== undefined && whole.from > gone) ||
        (whole.last !== undefined && whole.last < gone)
      );
    });
    expect(kept.length).toBeGreaterThan(1);
    await same(undefined, [...kept, { from: new Date(today.getTime() + 16 * HOUR), to: undefined }]);
  });

  it('estimates the distinct subjects of whole days past the sketch, and says so (decision 0079)', async () => {
    const day = new Date(today.getTime() + 16 * HOUR); // a Beijing day still kept
    const next = new Date(day.getTime() + DAY);
    await platform.sql(
      `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons,
         checked_at)
       SELECT gen_random_uuid(), 'SKETCH', 'clerk', 'X' || i, 'licence', NULL, 'allow', '[]',
         $1::timestamptz + i * interval '1 s'
       FROM generate_series(1, 20000) i`,
      [day],
    );
    type Item = { subjects: number; subjectsEstimated: boolean };
    const read = async (from: Date, to: Date, edgeRows?: number) => {
      const query = { dept: 'SKETCH', from: from.toISOString(), to: to.toISOString(), top: 0 };
      const answer =
        edgeRows === undefined
          ? await summary(query)
          : await platform
              .get(CheckLogSummaryQueries)
              .summary({ sub: 'admin', dept: 'CREDIT_OFFICE', roles: ['admin'] }, query, { edgeRows });
      return answer.items[0] as Item;
    };
    const near = (item: Item, n: number) => {
      expect(item.subjectsEstimated).toBe(true);
      expect(Math.abs(item.subjects - n) / n).toBeLessThan(0.05);
    };
    near(await read(day, next), 20_000);
    const at = (seconds: number) => new Date(day.getTime() + seconds * 1000);
    // off the day's ends (decision 0081): the part of a day from the log's rows (small) or from the day
    // rollup's rows checked in it (large) — either way one sketch with the whole days', and the same
    for (const edgeRows of [undefined, 0]) {
      near(await read(new Date(day.getTime() - HOUR), next, edgeRows), 20_000);
      near(await read(at(1800.5), next, edgeRows), 18_200); // X1801 … X20000
      near(await read(at(0), at(15_000.5), edgeRows), 15_000);
      // fewer than the sketch holds: exact
      expect(await read(at(3600.5), at(7200.5), edgeRows)).toEqual(
        expect.objectContaining({ subjects: 3_600, subjectsEstimated: false }),
      );
    }
  });

  it('says when several days’ most checked may miss one: second every day, first over both', async () => {
    const day = new Date(today.getTime() + 16 * HOUR);
    const next = new Date(day.getTime() + DAY);
    const rows: [Date, string, number][] = [
      [day, 'A', 3],
      [day, 'B', 2],
      [next, 'C', 3],
      [next, 'B', 2],
    ];
    for (const [at, subject, times] of rows)
      await platform.sql(
        `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons,
           checked_at)
         SELECT gen_random_uuid(), 'FLAT', 'clerk', $2, 'licence', NULL, 'allow', '[]',
           $1::timestamptz + i * interval '1 s'
         FROM generate_series(1, $3::int) i`,
        [at, subject, times],
      );
    type Item = { topSubjects: { subjectId: string; checks: number }[]; topSubjectsEstimated: boolean };
    const read = async (top: number) =>
      (
        await summary({
          dept: 'FLAT',
          from: day.toISOString(),
          to: new Date(next.getTime() + DAY).toISOString(),
          top,
        })
      ).items[0] as Item;
    const most = (item: Item) => item.topSubjects.map((s) => [s.subjectId, s.checks]);
    // each day's first (A, C: 3 each) ranked; B (2 + 2) is in no day's first: estimated
    expect(most(await read(1))).toEqual([['A', 3]]);
    expect((await read(1)).topSubjectsEstimated).toBe(true);
    // with each day's two, every subject is a candidate: exact
    const three = await read(3);
    expect(most(three)).toEqual([
      ['B', 4],
      ['A', 3],
      ['C', 3],
    ]);
    expect(three.topSubjectsEstimated).toBe(false);
  });
});
