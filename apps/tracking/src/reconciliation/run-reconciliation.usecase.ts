import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { WorkingCalendar } from '@credit/calendar';
import { ROOT_LOGGER } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';
import { checkRef, Gap, GAP_KINDS, GapKind, RESOLVED } from './reconciliation-gaps';
import { RECONCILIATION_OPTIONS, ReconciliationOptions } from './reconciliation.options';

const RECONCILIATION_LOCK = 0x72636e6c; // 'rcnl': one pass at a time, whatever the replica count
const DAY_MS = 86_400_000;

export interface ReconciliationPassResult {
  /** false when another replica's pass held the lock: this one did nothing */
  ran: boolean;
  detected: Record<GapKind, number>;
  cleared: number;
  /** the end times the "lifts missing" detection read, and how many assignments it returned */
  liftWindow?: LiftWindow & { rows: number };
}

export interface LiftWindow {
  /** ended at or after (null: the first pass, the whole history) */
  from: Date | null;
  /** ended before: the pass's time less the lift grace */
  to: Date;
}

/**
 * The assignments still binding of the entries ended in [$1, $2) (decision 0071). The range is on
 * `entries_ended`, so a pass reads the ends of its window and their assignments, never older entries.
 */
export const LIFTS_MISSING_SQL = `SELECT a.id, a.entry_id, a.dept, a.measure_code, e.ended_at, e.end_reason
  FROM tracking.entries e JOIN tracking.follow_up_assignments a ON a.entry_id = e.entry_id
  WHERE e.ended_at IS NOT NULL AND e.ended_at >= coalesce($1::timestamptz, '-infinity') AND e.ended_at < $2
    AND a.issued AND a.lifted_at IS NULL AND a.lift_confirmed_at IS NULL AND a.not_applicable_at IS NULL`;

/**
 * The window a pass at `now` reads: from the last mark less the look-back (none yet: everything) to
 * `now` less the grace. A pass dated before the mark still reads its own window (tests run passes at
 * chosen times).
 */
export async function liftWindow(
  manager: Pick<EntityManager, 'query'>,
  now: Date,
  options: Pick<ReconciliationOptions, 'liftGraceMs' | 'liftLookbackMs'>,
): Promise<LiftWindow> {
  const to = new Date(now.getTime() - options.liftGraceMs);
  const [mark]: { up_to: Date }[] = await manager.query(
    `SELECT up_to FROM tracking.reconciliation_marks WHERE kind = 'lift_missing'`,
  );
  if (!mark) return { from: null, to };
  const upTo = new Date(mark.up_to);
  const from = new Date(Math.min(upTo.getTime(), to.getTime()) - options.liftLookbackMs);
  return { from, to };
}

/**
 * 对账: finds what should have followed an event and did not — a fan-out never announced or short of
 * what it announced, an ended entry's assignment never lifted, a lift never confirmed in time, a hit never
 * decided — records each as a gap with when it was due, and clears the gaps the facts now resolve.
 * One pass at a time across replicas (a transaction-scoped advisory lock); a gap is recorded once.
 */
@Injectable()
export class RunReconciliationUseCase {
  private readonly logger: Logger;

  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
    private readonly calendar: WorkingCalendar,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    // the component's name is the one its log lines have always had
    this.logger = logger.child({ service: 'tracking', component: 'reconciliation-job' });
  }

  async execute(now = new Date()): Promise<ReconciliationPassResult> {
    const result = await this.db.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        RECONCILIATION_LOCK,
      ]);
      const detected = Object.fromEntries(GAP_KINDS.map((k) => [k, 0])) as Record<GapKind, number>;
      if (!locked) return { ran: false, detected, cleared: 0 };
      let cleared = 0;
      for (const kind of GAP_KINDS) {
        const [, count] = (await manager.query(
          `UPDATE tracking.reconciliation_gaps g SET cleared_at = $1
           WHERE g.kind = '${kind}' AND g.cleared_at IS NULL AND ${RESOLVED[kind]}`,
          [now],
        )) as [unknown, number];
        cleared += count;
      }
      const lifts = await this.liftsMissing(manager, now);
      const gaps = [
        ...(await this.fanOutsMissing(manager, now)),
        ...lifts.gaps,
        ...(await this.liftsUnconfirmed(manager, now)),
        ...(await this.checksUndecided(manager, now)),
      ];
      for (const kind of GAP_KINDS) {
        detected[kind] = await this.record(
          manager,
          gaps.filter((g) => g.kind === kind),
          now,
        );
      }
      return { ran: true, detected, cleared, liftWindow: lifts.window };
    });
    const found = Object.values(result.detected).reduce((a, b) => a + b, 0);
    if (found > 0 || result.cleared > 0) {
      this.logger.info({ detected: result.detected, cleared: result.cleared }, 'reconciliation pass');
    }
    return result;
  }

  /** Records new gaps (a gap cleared earlier that is back is opened again); returns how many. */
  private async record(manager: EntityManager, gaps: Gap[], now: Date): Promise<number> {
    if (gaps.length === 0) return 0;
    const rows: unknown[] = await manager.query(
      `INSERT INTO tracking.reconciliation_gaps
         (kind, ref, entry_id, dept, assignment_id, check_id, since, detail, detected_at)
       SELECT g.kind, g.ref, g.entry_id, g.dept, g.assignment_id, g.check_id, g.since, g.detail, $1
       FROM jsonb_to_recordset($2::jsonb) AS g(kind text, ref text, entry_id uuid, dept text,
         assignment_id uuid, check_id uuid, since timestamptz, detail jsonb)
       ON CONFLICT (kind, ref) DO UPDATE SET cleared_at = NULL, since = EXCLUDED.since,
         detail = EXCLUDED.detail, detected_at = EXCLUDED.detected_at
       WHERE reconciliation_gaps.cleared_at IS NOT NULL
       RETURNING kind`,
      [
        now,
        JSON.stringify(
          gaps.map((g) => ({
            kind: g.kind,
            ref: g.ref,
            entry_id: g.entryId,
            dept: g.dept,
            assignment_id: g.assignmentId,
            check_id: g.checkId,
            since: g.since.toISOString(),
            detail: g.detail,
          })),
        ),
      ],
    );
    return rows.length;
  }

  /** Published longer than the grace period ago, and no fan-out announced or fewer issued than announced. */
  private async fanOutsMissing(manager: EntityManager, now: Date): Promise<Gap[]> {
    const rows: {
      entry_id: string;
      owner_dept: string | null;
      published_at: Date;
      fan_outs: number;
      declared: number;
      issued: number;
    }[] = await manager.query(
      `SELECT entry_id, owner_dept, published_at, fan_outs, declared, issued FROM tracking.entries
       WHERE published_at IS NOT NULL AND (fan_outs = 0 OR issued < declared) AND published_at < $1`,
      [new Date(now.getTime() - this.options.fanOutGraceMs)],
    );
    return rows.map((r) => ({
      kind: 'fan_out_missing',
      ref: r.entry_id,
      entryId: r.entry_id,
      dept: r.owner_dept,
      assignmentId: null,
      checkId: null,
      since: r.published_at,
      detail:
        r.fan_outs === 0
          ? { reason: 'no fan-out announced', issuedSeen: r.issued }
          : {
              reason: 'fewer assignments arrived than announced',
              declared: r.declared,
              issuedSeen: r.issued,
            },
    }));
  }

  /**
   * Ended longer than the grace period ago, with assignments still binding — among the entries ended since
   * the last pass's mark less the look-back (decision 0071): a pass reads the ends of that window, by
   * `entries_ended`, never the history. Gaps found earlier stay open until the clearing step resolves them.
   */
  private async liftsMissing(
    manager: EntityManager,
    now: Date,
  ): Promise<{ gaps: Gap[]; window: LiftWindow & { rows: number } }> {
    const window = await liftWindow(manager, now, this.options);
    const rows: {
      id: string;
      entry_id: string;
      dept: string;
      measure_code: string | null;
      ended_at: Date;
      end_reason: string | null;
    }[] = await manager.query(LIFTS_MISSING_SQL, [window.from, window.to]);
    // the mark only moves forward: a pass dated earlier (a test, a clock set back) reads and leaves it
    await manager.query(
      `INSERT INTO tracking.reconciliation_marks (kind, up_to, updated_at) VALUES ('lift_missing', $1, now())
       ON CONFLICT (kind) DO UPDATE SET up_to = GREATEST(reconciliation_marks.up_to, EXCLUDED.up_to),
         updated_at = now()`,
      [window.to],
    );
    const gaps = rows.map((r): Gap => ({
      kind: 'lift_missing',
      ref: r.id,
      entryId: r.entry_id,
      dept: r.dept,
      assignmentId: r.id,
      checkId: null,
      since: r.ended_at,
      detail: { measureCode: r.measure_code, endReason: r.end_reason },
    }));
    return { gaps, window: { ...window, rows: rows.length } };
  }

  /** Lifted, and not confirmed within the working days allowed. */
  private async liftsUnconfirmed(manager: EntityManager, now: Date): Promise<Gap[]> {
    const days = this.options.liftConfirmWorkingDays;
    // n working days are at least n calendar days: a cheap superset, the calendar decides
    const rows: {
      id: string;
      entry_id: string;
      dept: string;
      measure_code: string | null;
      lifted_at: Date;
    }[] = await manager.query(
      `SELECT a.id, a.entry_id, a.dept, a.measure_code, a.lifted_at FROM tracking.follow_up_assignments a
         WHERE a.lifted_at IS NOT NULL AND a.lift_confirmed_at IS NULL AND a.not_applicable_at IS NULL
           AND a.lifted_at < $1`,
      [new Date(now.getTime() - days * DAY_MS)],
    );
    return rows.flatMap((r) => {
      const deadline = this.calendar.addWorkingDays(r.lifted_at, days);
      if (deadline >= now) return [];
      return [
        {
          kind: 'lift_unconfirmed' as const,
          ref: r.id,
          entryId: r.entry_id,
          dept: r.dept,
          assignmentId: r.id,
          checkId: null,
          since: deadline,
          detail: { measureCode: r.measure_code, liftedAt: r.lifted_at.toISOString() },
        },
      ];
    });
  }

  /** A hit on the checking department's own measure, with no decision within the working days allowed. */
  private async checksUndecided(manager: EntityManager, now: Date): Promise<Gap[]> {
    const days = this.options.checkDecisionWorkingDays;
    const rows: {
      check_id: string;
      entry_id: string;
      dept: string;
      action: string;
      decision: string;
      hit_at: Date;
    }[] = await manager.query(
      `SELECT check_id, entry_id, dept, action, decision, hit_at FROM tracking.check_hits
       WHERE own AND decided_at IS NULL AND decision <> 'allow' AND hit_at < $1`,
      [new Date(now.getTime() - days * DAY_MS)],
    );
    return rows.flatMap((r) => {
      const deadline = this.calendar.addWorkingDays(r.hit_at, days);
      if (deadline >= now) return [];
      return [
        {
          kind: 'check_undecided' as const,
          ref: checkRef(r.check_id, r.entry_id),
          entryId: r.entry_id,
          dept: r.dept,
          assignmentId: null,
          checkId: r.check_id,
          since: deadline,
          detail: { action: r.action, decision: r.decision, hitAt: r.hit_at.toISOString() },
        },
      ];
    });
  }
}
