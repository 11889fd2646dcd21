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
    return (await this.applicableMeasuresMany(manager, [entry])).get(entry.entryId) ?? [];
  }

  /** The same for many entries with one query. */
  async applicableMeasuresMany(
    manager: EntityManager,
    entries: TrackedEntry[],
  ): Promise<Map<string, Measure[]>> {
    const lists = [...new Set(entries.map((e) => e.listType))];
    const measures = await manager
      .createQueryBuilder(Measure, 'm')
      .where('m.current')
      .andWhere('m.list_types && :lists', { lists })
      .orderBy('m.code')
      .getMany();
    return new Map(
      entries.map((e) => [
        e.entryId,
        measures.filter((m) => m.listTypes.includes(e.listType) && m.subjectKinds.includes(e.subjectKind)),
      ]),
    );
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
    return this.issueMany(manager, [{ entry, measures, cause }]);
  }

  /** `issue` for many entries at once: one insert and one outbox write for all of them. */
  async issueMany(
    manager: EntityManager,
    items: { entry: TrackedEntry; measures: Measure[]; cause: Cause }[],
  ): Promise<number> {
    const candidates = items.flatMap(({ entry, measures, cause }) =>
      entry.status !== 'published' || !entry.periodFrom || !entry.periodTo
        ? []
        : measures.flatMap((measure) =>
            resolveTargets(measure, {
              subject: { kind: entry.subjectKind, id: entry.subjectId, name: entry.subjectName },
              relatedPersons: entry.relatedPersons,
            }).map((target) => ({ entry, measure, target, cause })),
          ),
    );
    if (candidates.length === 0) return 0;
    const subscriptions = await this.subscriptionsFor(
      manager,
      candidates.map((c) => c.measure),
    );
    const rows = candidates.map(({ entry, measure, target, cause }) => {
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
    const newIds = new Set<string>();
    for (let i = 0; i < rows.length; i += 5000) {
      // one JSON document per chunk: much cheaper than tens of thousands of bound parameters
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO trigger.assignments (id, entry_id, measure_id, measure_code, measure_version, dept, list_type,
           subject_id, target_id, target_kind, target_role, status, suspended_from, generation, subscribed, channel,
           period_from, period_to, issued_at, feedback_deadline, updated_at)
         SELECT id, "entryId", "measureId", "measureCode", "measureVersion", dept, "listType", "subjectId",
           "targetId", "targetKind", "targetRole", status, "suspendedFrom", generation, subscribed, channel,
           "periodFrom", "periodTo", "issuedAt", "feedbackDeadline", "updatedAt"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "entryId" uuid, "measureId" uuid, "measureCode" text,
           "measureVersion" int, dept text, "listType" text, "subjectId" text, "targetId" text, "targetKind" text,
           "targetRole" text, status text, "suspendedFrom" text, generation int, subscribed boolean, channel text,
           "periodFrom" timestamptz, "periodTo" timestamptz, "issuedAt" timestamptz, "feedbackDeadline" timestamptz,
           "updatedAt" timestamptz)
         ON CONFLICT (entry_id, measure_id, target_id, generation) DO NOTHING
         RETURNING id`,
        [JSON.stringify(rows.slice(i, i + 5000))],
      );
      for (const r of inserted) newIds.add(r.id);
    }
    const messages: OutboxMessage[] = [];
    let issued = 0;
    candidates.forEach(({ entry, measure, target, cause }, i) => {
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
        subject: {
          kind: entry.subjectKind,
          id: entry.subjectId,
          name: entry.subjectName,
          ...(entry.subjectLegacyIds.length > 0 ? { legacyIds: entry.subjectLegacyIds } : {}),
        },
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
      issued += 1;
      if (entry.suspended) {
        // issued while the entry's measures are paused: the department learns both at once
        messages.push(this.pausedMessage(row, EventTypes.assignmentSuspended, 'objection open', cause));
      }
    });
    await this.messaging.outbox.add(manager, messages);
    return issued;
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
