import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WorkingCalendar } from '@credit/calendar';
import { AssignmentIssuedV1, CloudEvent, EventTypes, TrackingOverdueV1 } from '@credit/contracts';
import { addToStats } from '../stats/stats-counters';
import {
  applyMark,
  contribution,
  derive,
  earliest,
  FollowUpFacts,
  FollowUpRow,
  resume,
  suspend,
} from './follow-up-state';
import { FOLLOW_UP_OPTIONS, FollowUpOptions } from './follow-up.options';

/** Columns of tracking.follow_up_assignments, by the field that holds them. */
const COLUMNS: Record<keyof FollowUpRow, string> = {
  id: 'id',
  entryId: 'entry_id',
  dept: 'dept',
  issued: 'issued',
  subjectId: 'subject_id',
  listType: 'list_type',
  measureCode: 'measure_code',
  measureVersion: 'measure_version',
  memorandumCode: 'memorandum_code',
  targetId: 'target_id',
  targetKind: 'target_kind',
  targetRole: 'target_role',
  issuedAt: 'issued_at',
  ackDeadline: 'ack_deadline',
  ackEscalationAt: 'ack_escalation_at',
  feedbackDeadline: 'feedback_deadline',
  feedbackEscalationAt: 'feedback_escalation_at',
  acknowledgedAt: 'acknowledged_at',
  enforcedAt: 'enforced_at',
  notApplicableAt: 'not_applicable_at',
  liftedAt: 'lifted_at',
  liftConfirmedAt: 'lift_confirmed_at',
  suspended: 'suspended',
  suspendedAt: 'suspended_at',
  suspendedWorkingDays: 'suspended_working_days',
  ackOverdueLevel: 'ack_overdue_level',
  ackOverdueSince: 'ack_overdue_since',
  feedbackOverdueLevel: 'feedback_overdue_level',
  feedbackOverdueSince: 'feedback_overdue_since',
  status: 'status',
  overdue: 'overdue',
  overdueKind: 'overdue_kind',
  overdueLevel: 'overdue_level',
  overdueDeadline: 'overdue_deadline',
  overdueSince: 'overdue_since',
  clearedAt: 'cleared_at',
};
const FIELDS = Object.keys(COLUMNS) as (keyof FollowUpRow)[];

/** `a.col AS "field", …` for reading rows as FollowUpRow. */
export const FOLLOW_UP_SELECT = FIELDS.map((f) => `a.${COLUMNS[f]} AS "${f}"`).join(', ');

type FactChange = (facts: FollowUpFacts) => FollowUpFacts;

/**
 * Keeps tracking's read model of assignments (and the statistics fed by it) in step with the events,
 * in the transaction that records the event: locks the row, applies the fact, re-derives, and adds the
 * change of the row's contribution to its statistics bucket.
 */
@Injectable()
export class FollowUpProjector {
  constructor(
    private readonly calendar: WorkingCalendar,
    @Inject(FOLLOW_UP_OPTIONS) private readonly options: FollowUpOptions,
  ) {}

  /** Applies the event's fact; `issuedNow` when it was the (first) issue of its assignment. */
  async apply(
    event: CloudEvent<Record<string, unknown>>,
    manager: EntityManager,
  ): Promise<{ issuedNow: boolean }> {
    if (event.type === EventTypes.assignmentIssued) {
      return { issuedNow: await this.onIssued(event.data as unknown as AssignmentIssuedV1, manager) };
    }
    const fact = this.factOf(event);
    if (fact) await this.change(manager, event.data as unknown as AssignmentRef, fact);
    return { issuedNow: false };
  }

  private async onIssued(a: AssignmentIssuedV1, manager: EntityManager): Promise<boolean> {
    const issuedAt = new Date(a.issuedAt);
    const ackDeadline = this.calendar.addWorkingDays(issuedAt, this.options.ackWorkingDays);
    const feedbackDeadline = new Date(a.feedbackDeadline);
    const escalate = this.options.escalationWorkingDays;
    let issuedNow = false;
    await this.change(manager, a, (f) => {
      issuedNow = !f.issued;
      return f.issued
        ? f // the first issue is the one that counts (a redelivery or replay changes nothing)
        : {
            ...f,
            issued: true,
            subjectId: a.subject.id,
            listType: a.listType.code,
            measureCode: a.measure.code,
            measureVersion: a.measure.version,
            memorandumCode: a.measure.memorandumCode,
            targetId: a.target.id,
            targetKind: a.target.kind,
            targetRole: a.target.role ?? null,
            issuedAt,
            ackDeadline,
            ackEscalationAt: this.calendar.addWorkingDays(ackDeadline, escalate),
            feedbackDeadline,
            feedbackEscalationAt: this.calendar.addWorkingDays(feedbackDeadline, escalate),
          };
    });
    return issuedNow;
  }

  /**
   * Applies a fact to one assignment. An event may arrive before the assignment's issue (topics are
   * read independently, e.g. in a replay): the row is then opened with what is known and completed
   * when the issue arrives; it counts in the statistics from then on.
   */
  async change(manager: EntityManager, ref: AssignmentRef, fact: FactChange): Promise<FollowUpRow> {
    await manager.query(
      `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING`,
      [ref.assignmentId, ref.entryId, ref.dept],
    );
    const [before]: FollowUpRow[] = await manager.query(
      `SELECT ${FOLLOW_UP_SELECT} FROM tracking.follow_up_assignments a WHERE a.id = $1 FOR UPDATE`,
      [ref.assignmentId],
    );
    const facts = fact(before);
    const after: FollowUpRow = { ...facts, ...derive(facts) };
    const changed = FIELDS.filter((f) => !same(before[f], after[f]));
    if (changed.length === 0) return before;
    await manager.query(
      `UPDATE tracking.follow_up_assignments
       SET ${changed.map((f, i) => `${COLUMNS[f]} = $${i + 2}`).join(', ')}, updated_at = now()
       WHERE id = $1`,
      [ref.assignmentId, ...changed.map((f) => after[f])],
    );
    await addToStats(manager, contribution(before), contribution(after));
    return after;
  }

  /** The fact an event (other than the issue) adds to its assignment; undefined when it adds none. */
  private factOf(event: CloudEvent<Record<string, unknown>>): FactChange | undefined {
    // suspend and resume travel on one topic under one key: they arrive in the order they happened
    if (event.type === EventTypes.assignmentSuspended) return (f) => suspend(f, at(event, 'at'));
    if (event.type === EventTypes.assignmentResumed) {
      const resumedAt = at(event, 'at');
      return (f) =>
        resume(
          f,
          f.suspendedAt ? Math.max(0, this.calendar.workingDaysBetween(f.suspendedAt, resumedAt)) : 0,
          (d, n) => this.calendar.addWorkingDays(d, n),
        );
    }
    return factOf(event);
  }
}

interface AssignmentRef {
  assignmentId: string;
  entryId: string;
  dept: string;
}

/** The fact an event (other than the issue and pauses) adds to its assignment; undefined when none. */
function factOf(event: CloudEvent<Record<string, unknown>>): FactChange | undefined {
  switch (event.type) {
    case EventTypes.feedbackAcknowledged:
      return (f) => ({ ...f, acknowledgedAt: earliest(f.acknowledgedAt, at(event, 'at')) });
    case EventTypes.feedbackEnforced:
      return (f) => ({ ...f, enforcedAt: earliest(f.enforcedAt, at(event, 'at')) });
    case EventTypes.feedbackNotApplicable:
      return (f) => ({ ...f, notApplicableAt: earliest(f.notApplicableAt, at(event, 'at')) });
    case EventTypes.feedbackLiftConfirmed:
      return (f) => ({ ...f, liftConfirmedAt: earliest(f.liftConfirmedAt, at(event, 'at')) });
    case EventTypes.assignmentLifted:
      return (f) => ({ ...f, liftedAt: earliest(f.liftedAt, at(event, 'liftedAt')) });
    case EventTypes.trackingOverdue: {
      const d = event.data as unknown as TrackingOverdueV1;
      const mark = { kind: d.kind, level: d.level, deadline: new Date(d.deadline), at: new Date(d.at) };
      return (f) => applyMark(f, mark);
    }
    default:
      return undefined;
  }
}

function at(event: CloudEvent<Record<string, unknown>>, field: string): Date {
  return new Date(String(event.data[field]));
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return a === b;
}
