import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WorkingCalendar } from '@credit/calendar';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentPausedV1,
  EventTypes,
  nextAssignmentStatus,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, OutboxMessage, ServiceMessaging } from '@credit/messaging';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { Measure } from '../memoranda/measure.entity';
import { Subscription } from '../subscriptions/subscription.entity';
import { TRIGGER_MESSAGING, TRIGGER_SOURCE } from '../trigger.tokens';
import { resolveTargets } from './resolve-targets';

/** Who or what caused a change: carried into every event for the trail. */
export interface Cause {
  actorDept?: string;
  correlationId?: string;
  at: Date;
}

function targetOf(a: Assignment) {
  return { id: a.targetId, kind: a.targetKind, ...(a.targetRole ? { role: a.targetRole } : {}) };
}

/**
 * Issues, lifts, suspends and resumes assignments and writes their events in the caller's transaction.
 * The one place an assignment changes state on trigger's side, whatever started it (a published entry,
 * a catalog change, an objection, a correction).
 */
@Injectable()
export class AssignmentIssuer {
  constructor(
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly calendar: WorkingCalendar,
  ) {}

  /** The measures in force that apply to an entry (its list type and subject kind). */
  async applicableMeasures(manager: EntityManager, entry: TrackedEntry): Promise<Measure[]> {
    return manager
      .createQueryBuilder(Measure, 'm')
      .where('m.current')
      .andWhere(':listType = ANY(m.list_types)', { listType: entry.listType })
      .andWhere(':kind = ANY(m.subject_kinds)', { kind: entry.subjectKind })
      .orderBy('m.code')
      .getMany();
  }

  /**
   * Issues one assignment per measure × target for the entry's current generation; an assignment that
   * already exists for that generation is left alone (a replay issues nothing twice). Returns how many.
   */
  async issue(
    manager: EntityManager,
    entry: TrackedEntry,
    measures: Measure[],
    cause: Cause,
  ): Promise<number> {
    if (entry.status !== 'published' || !entry.periodFrom || !entry.periodTo) return 0;
    const candidates = measures.flatMap((measure) =>
      resolveTargets(measure, {
        subject: { kind: entry.subjectKind, id: entry.subjectId, name: entry.subjectName },
        relatedPersons: entry.relatedPersons,
      }).map((target) => ({ measure, target })),
    );
    if (candidates.length === 0) return 0;
    const subscriptions = await this.subscriptionsFor(manager, measures);
    const rows = candidates.map(({ measure, target }) => {
      const subscription = subscriptions.get(`${measure.dept}|${measure.code}`);
      return {
        id: randomUUID(),
        entryId: entry.entryId,
        measureId: measure.id,
        measureCode: measure.code,
        measureVersion: measure.version,
        dept: measure.dept,
        listType: entry.listType,
        subjectId: entry.subjectId,
        targetId: target.id,
        targetKind: target.kind,
        targetRole: target.role ?? null,
        status: entry.suspended ? ('suspended' as const) : ('issued' as const),
        suspendedFrom: entry.suspended ? ('issued' as const) : null,
        generation: entry.generation,
        subscribed: subscription !== undefined,
        channel: subscription?.channel ?? ('pull' as const),
        periodFrom: entry.periodFrom,
        periodTo: entry.periodTo,
        issuedAt: cause.at,
        feedbackDeadline: this.calendar.addWorkingDays(cause.at, measure.feedbackWorkingDays),
        updatedAt: cause.at,
      };
    });
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Assignment)
      .values(rows)
      .orIgnore() // unique (entry, measure, target, generation)
      .returning(['id'])
      .execute();
    const newIds = new Set((inserted.raw as { id: string }[]).map((r) => r.id));
    const messages: OutboxMessage[] = [];
    candidates.forEach(({ measure, target }, i) => {
      const row = rows[i];
      if (!newIds.has(row.id)) return;
      const subscription = subscriptions.get(`${measure.dept}|${measure.code}`);
      const data: AssignmentIssuedV1 = {
        assignmentId: row.id,
        entryId: entry.entryId,
        dept: measure.dept,
        measure: {
          code: measure.code,
          version: measure.version,
          memorandumCode: measure.memorandumCode,
          text: measure.text,
          kind: measure.kind,
          mode: measure.mode,
          actions: measure.actions,
          legalBasis: measure.legalBasis,
          feedbackWorkingDays: measure.feedbackWorkingDays,
        },
        listType: { code: entry.listType, colour: entry.listColour },
        subject: { kind: entry.subjectKind, id: entry.subjectId, name: entry.subjectName },
        target,
        period: { from: entry.periodFrom!.toISOString(), to: entry.periodTo!.toISOString() },
        issuedAt: cause.at.toISOString(),
        feedbackDeadline: row.feedbackDeadline.toISOString(),
        delivery: {
          subscribed: subscription !== undefined,
          channel: row.channel,
          ...(subscription?.webhookUrl ? { webhookUrl: subscription.webhookUrl } : {}),
        },
        generation: entry.generation,
      };
      messages.push(this.message(entry.subjectId, entry.entryId, EventTypes.assignmentIssued, data, cause));
      if (entry.suspended) {
        // issued while the entry's measures are paused: the department learns both at once
        messages.push(this.pausedMessage(row, EventTypes.assignmentSuspended, 'objection open', cause));
      }
    });
    await this.messaging.outbox.add(manager, messages);
    return messages.filter((m) => m.event.type === EventTypes.assignmentIssued).length;
  }

  /** Lifts every given assignment that still binds; returns how many were lifted. */
  async lift(
    manager: EntityManager,
    assignments: Assignment[],
    reason: string,
    cause: Cause,
  ): Promise<number> {
    const liftable = assignments.filter((a) => nextAssignmentStatus(a.status, 'lift'));
    if (liftable.length === 0) return 0;
    await manager
      .createQueryBuilder()
      .update(Assignment)
      .set({ status: 'lifted', suspendedFrom: null, updatedAt: cause.at })
      .whereInIds(liftable.map((a) => a.id))
      .execute();
    await this.messaging.outbox.add(
      manager,
      liftable.map((a) => {
        const data: AssignmentLiftedV1 = {
          assignmentId: a.id,
          entryId: a.entryId,
          dept: a.dept,
          target: targetOf(a),
          reason,
          liftedAt: cause.at.toISOString(),
        };
        return this.message(a.subjectId, a.entryId, EventTypes.assignmentLifted, data, cause);
      }),
    );
    return liftable.length;
  }

  /** Pauses binding assignments (objection open) or resumes paused ones to the status they had. */
  async pause(
    manager: EntityManager,
    assignments: Assignment[],
    action: 'suspend' | 'resume',
    reason: string,
    cause: Cause,
  ): Promise<number> {
    const changed = assignments.filter((a) =>
      action === 'suspend' ? nextAssignmentStatus(a.status, 'suspend') : a.status === 'suspended',
    );
    for (const a of changed) {
      if (action === 'suspend') {
        a.suspendedFrom = a.status;
        a.status = 'suspended';
      } else {
        a.status = a.suspendedFrom ?? 'issued';
        a.suspendedFrom = null;
      }
      a.updatedAt = cause.at;
    }
    if (changed.length === 0) return 0;
    await manager.save(changed);
    const type = action === 'suspend' ? EventTypes.assignmentSuspended : EventTypes.assignmentResumed;
    await this.messaging.outbox.add(
      manager,
      changed.map((a) => this.pausedMessage(a, type, reason, cause)),
    );
    return changed.length;
  }

  private pausedMessage(
    a: Pick<Assignment, 'id' | 'entryId' | 'dept' | 'subjectId'>,
    type: string,
    reason: string,
    cause: Cause,
  ): OutboxMessage {
    const data: AssignmentPausedV1 = {
      assignmentId: a.id,
      entryId: a.entryId,
      dept: a.dept,
      reason,
      at: cause.at.toISOString(),
    };
    return this.message(a.subjectId, a.entryId, type, data, cause);
  }

  private message<T>(key: string, entryId: string, type: string, data: T, cause: Cause): OutboxMessage {
    return {
      topic: Topics.assignments,
      key,
      event: createCloudEvent({
        type,
        source: TRIGGER_SOURCE,
        subject: entryId,
        actorDept: cause.actorDept,
        correlationId: cause.correlationId,
        data,
        time: cause.at,
      }),
    };
  }

  private async subscriptionsFor(manager: EntityManager, measures: Measure[]) {
    const rows = await manager
      .createQueryBuilder(Subscription, 's')
      .where('s.measure_code IN (:...codes)', { codes: [...new Set(measures.map((m) => m.code))] })
      .getMany();
    return new Map(rows.map((s) => [`${s.dept}|${s.measureCode}`, s]));
  }
}
