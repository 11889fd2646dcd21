import { chinaIsoDate } from '@credit/calendar';
import { AssignmentStatus, OverdueKind } from '@credit/contracts';

export type OverdueLevel = 1 | 2;

/**
 * Tracking's own view of one assignment (措施任务), kept from the events it consumes. Every field is a
 * *fact* that only ever gets set (to the earliest time seen) or, for the suspension, follows the
 * assignments topic in order; everything else is derived from the facts. So the row, and the counters
 * it feeds, are the same whatever order the topics are read in (live, or replayed from the beginning).
 */
export interface FollowUpFacts {
  id: string;
  entryId: string;
  dept: string;
  /** false while only later events (feedback, lift, overdue) were seen: the issue is still on its way */
  issued: boolean;
  subjectId: string | null;
  listType: string | null;
  measureCode: string | null;
  measureVersion: number | null;
  memorandumCode: string | null;
  targetId: string | null;
  targetKind: string | null;
  targetRole: string | null;
  issuedAt: Date | null;
  ackDeadline: Date | null;
  ackEscalationAt: Date | null;
  feedbackDeadline: Date | null;
  feedbackEscalationAt: Date | null;
  acknowledgedAt: Date | null;
  enforcedAt: Date | null;
  notApplicableAt: Date | null;
  liftedAt: Date | null;
  liftConfirmedAt: Date | null;
  suspended: boolean;
  /** when the current suspension began (null while not suspended) */
  suspendedAt: Date | null;
  /** working days of the suspensions that ended: every deadline was pushed back by them */
  suspendedWorkingDays: number;
  ackOverdueLevel: number;
  ackOverdueSince: Date | null;
  feedbackOverdueLevel: number;
  feedbackOverdueSince: Date | null;
}

export interface FollowUpDerived {
  status: AssignmentStatus;
  overdue: boolean;
  overdueKind: OverdueKind | null;
  overdueLevel: number | null;
  overdueDeadline: Date | null;
  overdueSince: Date | null;
  clearedAt: Date | null;
}

export type FollowUpRow = FollowUpFacts & FollowUpDerived;

export function emptyFacts(id: string, entryId: string, dept: string): FollowUpFacts {
  return {
    id,
    entryId,
    dept,
    issued: false,
    subjectId: null,
    listType: null,
    measureCode: null,
    measureVersion: null,
    memorandumCode: null,
    targetId: null,
    targetKind: null,
    targetRole: null,
    issuedAt: null,
    ackDeadline: null,
    ackEscalationAt: null,
    feedbackDeadline: null,
    feedbackEscalationAt: null,
    acknowledgedAt: null,
    enforcedAt: null,
    notApplicableAt: null,
    liftedAt: null,
    liftConfirmedAt: null,
    suspended: false,
    suspendedAt: null,
    suspendedWorkingDays: 0,
    ackOverdueLevel: 0,
    ackOverdueSince: null,
    feedbackOverdueLevel: 0,
    feedbackOverdueSince: null,
  };
}

/** The earlier of two times (null meaning "not yet"). */
export function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function latest(...times: (Date | null)[]): Date | null {
  return times.reduce<Date | null>((m, t) => (t && (!m || t > m) ? t : m), null);
}

/** Feedback (反馈) proper: enforced or not applicable, whichever came first. */
export function feedbackAt(f: FollowUpFacts): Date | null {
  return earliest(f.enforcedAt, f.notApplicableAt);
}

/** When the assignment stopped being followed: lifted, lift confirmed or not applicable. */
export function stoppedAt(f: FollowUpFacts): Date | null {
  return earliest(earliest(f.liftedAt, f.liftConfirmedAt), f.notApplicableAt);
}

export function deriveStatus(f: FollowUpFacts): AssignmentStatus {
  if (f.liftConfirmedAt) return 'lift_confirmed';
  if (f.liftedAt) return 'lifted';
  if (f.notApplicableAt) return 'not_applicable';
  if (f.suspended) return 'suspended';
  if (f.enforcedAt) return 'enforced';
  if (f.acknowledgedAt) return 'acknowledged';
  return 'issued';
}

/**
 * Overdue while a deadline was marked missed and the department has not caught up on it, unless the
 * assignment stopped being followed. Acknowledgement comes first: it is the one shown when both are open.
 */
export function derive(f: FollowUpFacts): FollowUpDerived {
  const stopped = stoppedAt(f);
  const ackOpen = f.ackOverdueLevel > 0 && !f.acknowledgedAt;
  const feedbackOpen = f.feedbackOverdueLevel > 0 && !feedbackAt(f);
  const overdue = !stopped && (ackOpen || feedbackOpen);
  const status = deriveStatus(f);
  if (overdue) {
    const kind: OverdueKind = ackOpen ? 'acknowledgement' : 'feedback';
    return {
      status,
      overdue,
      overdueKind: kind,
      overdueLevel: kind === 'acknowledgement' ? f.ackOverdueLevel : f.feedbackOverdueLevel,
      overdueDeadline: kind === 'acknowledgement' ? f.ackDeadline : f.feedbackDeadline,
      overdueSince: earliest(f.ackOverdueSince, f.feedbackOverdueSince),
      clearedAt: null,
    };
  }
  const wasOverdue = f.ackOverdueLevel > 0 || f.feedbackOverdueLevel > 0;
  return {
    status,
    overdue: false,
    overdueKind: null,
    overdueLevel: null,
    overdueDeadline: null,
    overdueSince: null,
    // the moment the last open deadline was met (or the assignment stopped being followed)
    clearedAt: wasOverdue
      ? latest(
          f.ackOverdueLevel > 0 ? earliest(f.acknowledgedAt, stopped) : null,
          f.feedbackOverdueLevel > 0 ? earliest(feedbackAt(f), stopped) : null,
        )
      : null,
  };
}

export interface OverdueMark {
  kind: OverdueKind;
  level: OverdueLevel;
  deadline: Date;
  at: Date;
}

/** A missed deadline becomes a fact (idempotent: a level already reached changes nothing). */
export function applyMark(f: FollowUpFacts, mark: OverdueMark): FollowUpFacts {
  if (mark.kind === 'acknowledgement') {
    return {
      ...f,
      ackOverdueLevel: Math.max(f.ackOverdueLevel, mark.level),
      ackOverdueSince: mark.level === 1 ? earliest(f.ackOverdueSince, mark.at) : f.ackOverdueSince,
    };
  }
  return {
    ...f,
    feedbackOverdueLevel: Math.max(f.feedbackOverdueLevel, mark.level),
    feedbackOverdueSince:
      mark.level === 1 ? earliest(f.feedbackOverdueSince, mark.at) : f.feedbackOverdueSince,
  };
}

/**
 * The marks due at `now` for an assignment still followed and binding (not suspended): level 1 once
 * the deadline passed, level 2 once the escalation time passed too (both at once after a long pause).
 */
export function dueMarks(f: FollowUpFacts, now: Date): OverdueMark[] {
  if (!f.issued || f.suspended || stoppedAt(f)) return [];
  const marks: OverdueMark[] = [];
  const check = (
    kind: OverdueKind,
    done: Date | null,
    level: number,
    deadline: Date | null,
    escalation: Date | null,
  ) => {
    if (done || !deadline) return;
    if (level < 1 && deadline < now) marks.push({ kind, level: 1, deadline, at: now });
    if (level < 2 && escalation && escalation < now) marks.push({ kind, level: 2, deadline, at: now });
  };
  check('acknowledgement', f.acknowledgedAt, f.ackOverdueLevel, f.ackDeadline, f.ackEscalationAt);
  check('feedback', feedbackAt(f), f.feedbackOverdueLevel, f.feedbackDeadline, f.feedbackEscalationAt);
  return marks;
}

/**
 * 暂停: an objection paused the assignment. Its deadlines stop running: no mark is made while it is
 * suspended (dueMarks), and on resumption they move back by the working days it was suspended.
 */
export function suspend(f: FollowUpFacts, at: Date): FollowUpFacts {
  if (f.suspended) return f;
  return { ...f, suspended: true, suspendedAt: at };
}

/**
 * Resumed after `workingDays` working days suspended: every deadline (and escalation) moves back by them.
 * All of them, met or not: which were met depends on feedback read from another topic, and the facts must
 * not depend on the order topics are read in (a deadline met before the pause stays met).
 */
export function resume(
  f: FollowUpFacts,
  workingDays: number,
  shift: (deadline: Date, workingDays: number) => Date,
): FollowUpFacts {
  if (!f.suspended) return f;
  const move = (d: Date | null) => (d && workingDays > 0 ? shift(d, workingDays) : d);
  return {
    ...f,
    suspended: false,
    suspendedAt: null,
    suspendedWorkingDays: f.suspendedWorkingDays + workingDays,
    ackDeadline: move(f.ackDeadline),
    ackEscalationAt: move(f.ackEscalationAt),
    feedbackDeadline: move(f.feedbackDeadline),
    feedbackEscalationAt: move(f.feedbackEscalationAt),
  };
}

/** Counters of `stats_daily`; an assignment adds one vector to the bucket of its issue day. */
export const STAT_COUNTERS = [
  'assigned',
  'acknowledged',
  'acknowledgedOnTime',
  'enforced',
  'notApplicable',
  'liftsConfirmed',
  'overdue',
  'acted',
] as const;
export type StatCounter = (typeof STAT_COUNTERS)[number];
export type Counters = Record<StatCounter, number>;

export interface StatsBucket {
  dept: string;
  listType: string;
  memorandumCode: string;
  /** the assignment's issue day in Beijing time (UTC+8), YYYY-MM-DD */
  day: string;
}

export interface Contribution {
  bucket: StatsBucket;
  counters: Counters;
}

/**
 * What one assignment adds to the statistics: a pure function of its facts, so the counters always
 * equal the sum of the contributions and each change adds exactly `after − before`.
 */
export function contribution(row: FollowUpRow): Contribution | null {
  if (!row.issued || !row.listType || !row.memorandumCode || !row.issuedAt) return null;
  const day = chinaIsoDate(row.issuedAt);
  const feedback = feedbackAt(row);
  return {
    bucket: { dept: row.dept, listType: row.listType, memorandumCode: row.memorandumCode, day },
    counters: {
      assigned: 1,
      acknowledged: row.acknowledgedAt ? 1 : 0,
      acknowledgedOnTime:
        row.acknowledgedAt && row.ackDeadline && row.acknowledgedAt <= row.ackDeadline ? 1 : 0,
      enforced: row.enforcedAt ? 1 : 0,
      notApplicable: row.notApplicableAt ? 1 : 0,
      liftsConfirmed: row.liftConfirmedAt ? 1 : 0,
      overdue: row.overdue ? 1 : 0,
      // 应用: acknowledged and reported what it did
      acted: row.acknowledgedAt && feedback ? 1 : 0,
    },
  };
}
