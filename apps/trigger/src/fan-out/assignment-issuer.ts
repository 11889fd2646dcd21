import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { measureMayReach } from '@credit/auth';
import { WorkingCalendar } from '@credit/calendar';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentTargetV1,
  AssignmentPausedV1,
  AssignmentsFannedOutV1,
  EventTypes,
  nextAssignmentStatus,
  Topics,
} from '@credit/contracts';
import {
  AnyOutboxMessage,
  createCloudEvent,
  OutboxMessage,
  RecipeRecord,
  ServiceMessaging,
} from '@credit/messaging';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { ineligibility } from '../lawful/eligibility';
import { windowStateAt } from '../lawful/effective-window';
import { MeasureExclusion } from '../lawful/measure-exclusion.entity';
import { Measure } from '../memoranda/measure.entity';
import { Memorandum } from '../memoranda/memorandum.entity';
import { Subscription } from '../subscriptions/subscription.entity';
import { TRIGGER_MESSAGING, TRIGGER_SOURCE } from '../trigger.tokens';
import { IssuedEventJson } from './issued-event-json';
import { ISSUED_RECIPE, IssuedRecipeV1, issuedEventId, rebuildIssuedEvents } from './issued-recipe';
import { resolveTargets } from './resolve-targets';

const INSERT_CHUNK = 5000;

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
  ) {
    messaging.relay.registerRecipe(ISSUED_RECIPE, rebuildIssuedEvents);
  }

  /** The measures in force that apply to an entry (its list type and subject kind; class C: the owner's own). */
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
    return this.eligibleMany(manager, entries, measures);
  }

  /**
   * Of the given measures, those that reach each entry: its list type and subject kind; class C, the
   * owner's own only; and 过惩相当 (decision 0031) — memorandum in effect, kind for the list's colour,
   * minimum severity, conditions on the decision, not excluded by the owner.
   */
  async eligibleMany(
    manager: EntityManager,
    entries: TrackedEntry[],
    measures: Measure[],
    at = new Date(),
  ): Promise<Map<string, Measure[]>> {
    const memoCodes = [...new Set(measures.map((m) => m.memorandumCode))];
    const memoranda = memoCodes.length ? await manager.findBy(Memorandum, { code: In(memoCodes) }) : [];
    const inEffect = new Set(memoranda.filter((m) => windowStateAt(m, at) === 'active').map((m) => m.code));
    const exclusions = entries.length
      ? await manager.findBy(MeasureExclusion, { entryId: In(entries.map((e) => e.entryId)) })
      : [];
    const excluded = new Set(exclusions.map((x) => `${x.entryId}|${x.measureCode}`));
    return new Map(
      entries.map((e) => [
        e.entryId,
        measures.filter(
          (m) =>
            m.current &&
            m.listTypes.includes(e.listType) &&
            m.subjectKinds.includes(e.subjectKind) &&
            // received from a partner region: only the measures the recognition agreement applies (0035)
            (!e.recognisedMeasures || e.recognisedMeasures.includes(m.code)) &&
            // class C: read by its owner, supervisors and the subject only — no other department's measure
            measureMayReach(e.infoClass, e.ownerDept, m.dept) &&
            ineligibility(
              {
                kind: m.kind,
                minSeverity: m.minSeverity ?? null,
                conditions: m.conditions ?? null,
                inEffect: inEffect.has(m.memorandumCode),
              },
              {
                listColour: e.listColour,
                severity: e.severity ?? null,
                decisionAmount: e.decisionAmount ?? null,
                violationKind: e.violationKind ?? null,
                excluded: excluded.has(`${e.entryId}|${m.code}`),
              },
            ) === undefined,
        ),
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

  /**
   * `issue` for many entries at once: one insert and one outbox write for all of them. The insert is
   * columnar (per-entry and per-measure values once, joined back by index), deadlines are computed once
   * per measure and cause, and events are written as JSON from fragments shared by many events.
   *
   * `fresh`: every entry was inserted by this transaction, once each, so none can have an assignment yet
   * (assignments are only ever issued for entries read from the table): a plain insert, without the
   * speculative insertion of ON CONFLICT. The unique key still stands guard; a violation fails the batch.
   */
  async issueMany(
    manager: EntityManager,
    items: { entry: TrackedEntry; measures: Measure[]; cause: Cause }[],
    options: { fresh?: boolean } = {},
  ): Promise<number> {
    let total = 0;
    for (const n of (await this.issueCounted(manager, items, options)).values()) total += n;
    return total;
  }

  /** `issueMany`, returning how many assignments each entry got (entries that got none are absent). */
  async issueCounted(
    manager: EntityManager,
    items: { entry: TrackedEntry; measures: Measure[]; cause: Cause }[],
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const issuable = items.filter(
      ({ entry }) => entry.status === 'published' && entry.periodFrom && entry.periodTo,
    );
    const allMeasures = issuable.flatMap((i) => i.measures);
    if (allMeasures.length === 0) return counts;
    const subscriptions = await this.subscriptionsFor(manager, allMeasures);
    // per measure: its columns, snapshot and delivery, once
    const measureIndex = new Map<Measure, number>();
    const measureParts: {
      measure: Measure;
      dept: string;
      snapshot: AssignmentIssuedV1['measure'];
      delivery: AssignmentIssuedV1['delivery'] & object;
      channel: string;
      subscribed: boolean;
    }[] = [];
    const deadlines = new Map<string, Date>();
    const rowIds: string[] = [];
    const rowEntry: number[] = [];
    const rowMeasure: number[] = [];
    const rowTargetId: string[] = [];
    const rowTargetKind: string[] = [];
    const rowTargetRole: (string | null)[] = [];
    const rowDeadline: string[] = [];
    const rowTarget: AssignmentTargetV1[] = [];
    issuable.forEach(({ entry, measures, cause }, e) => {
      const subject = { kind: entry.subjectKind, id: entry.subjectId, name: entry.subjectName };
      for (const measure of measures) {
        const targets = resolveTargets(measure, { subject, relatedPersons: entry.relatedPersons });
        if (targets.length === 0) continue;
        let m = measureIndex.get(measure);
        if (m === undefined) {
          m = measureParts.length;
          measureIndex.set(measure, m);
          const subscription = subscriptions.get(`${measure.dept}|${measure.code}`);
          const channel = subscription?.channel ?? ('pull' as const);
          measureParts.push({
            measure,
            dept: measure.dept,
            snapshot: {
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
            delivery: {
              subscribed: subscription !== undefined,
              channel,
              ...(subscription?.webhookUrl ? { webhookUrl: subscription.webhookUrl } : {}),
            },
            channel,
            subscribed: subscription !== undefined,
          });
        }
        const deadlineKey = `${measure.feedbackWorkingDays}|${cause.at.getTime()}`;
        let deadline = deadlines.get(deadlineKey);
        if (!deadline) {
          deadline = this.calendar.addWorkingDays(cause.at, measure.feedbackWorkingDays);
          deadlines.set(deadlineKey, deadline);
        }
        const deadlineText = deadline.toISOString();
        for (const target of targets) {
          rowIds.push(randomUUID());
          rowEntry.push(e + 1);
          rowMeasure.push(m + 1);
          rowTargetId.push(target.id);
          rowTargetKind.push(target.kind);
          rowTargetRole.push(target.role ?? null);
          rowDeadline.push(deadlineText);
          rowTarget.push(target);
        }
      }
    });
    if (rowIds.length === 0) return counts;
    const newIds = new Set<string>();
    const entryColumns = [
      issuable.map((i) => i.entry.entryId),
      issuable.map((i) => i.entry.listType),
      issuable.map((i) => i.entry.subjectId),
      issuable.map((i) => (i.entry.suspended ? 'suspended' : 'issued')),
      issuable.map((i) => (i.entry.suspended ? 'issued' : null)),
      issuable.map((i) => i.entry.generation),
      issuable.map((i) => i.entry.periodFrom!.toISOString()),
      issuable.map((i) => i.entry.periodTo!.toISOString()),
      issuable.map((i) => i.cause.at.toISOString()),
    ];
    const measureColumns = [
      measureParts.map((m) => m.measure.id),
      measureParts.map((m) => m.measure.code),
      measureParts.map((m) => m.measure.version),
      measureParts.map((m) => m.dept),
      measureParts.map((m) => m.subscribed),
      measureParts.map((m) => m.channel),
    ];
    for (let i = 0; i < rowIds.length; i += INSERT_CHUNK) {
      const slice = <T>(column: T[]) => column.slice(i, i + INSERT_CHUNK);
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO trigger.assignments (id, entry_id, measure_id, measure_code, measure_version, dept, list_type,
           subject_id, target_id, target_kind, target_role, status, suspended_from, generation, subscribed, channel,
           period_from, period_to, issued_at, feedback_deadline, updated_at)
         SELECT r.id, e.entry_id, m.id, m.code, m.version, m.dept, e.list_type, e.subject_id, r.target_id,
           r.target_kind, r.target_role, e.status, e.suspended_from, e.generation, m.subscribed, m.channel,
           e.period_from, e.period_to, e.issued_at, r.deadline, e.issued_at
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
           AS r(id, e, m, target_id, target_kind, target_role, deadline)
         JOIN unnest($8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[],
             $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])
           WITH ORDINALITY AS e(entry_id, list_type, subject_id, status, suspended_from, generation,
             period_from, period_to, issued_at, n) ON e.n = r.e
         JOIN unnest($17::uuid[], $18::text[], $19::int[], $20::text[], $21::boolean[], $22::text[])
           WITH ORDINALITY AS m(id, code, version, dept, subscribed, channel, n) ON m.n = r.m
         ${options.fresh ? '' : 'ON CONFLICT (entry_id, measure_id, target_id, generation) DO NOTHING RETURNING id'}`,
        [
          slice(rowIds),
          slice(rowEntry),
          slice(rowMeasure),
          slice(rowTargetId),
          slice(rowTargetKind),
          slice(rowTargetRole),
          slice(rowDeadline),
          ...entryColumns,
          ...measureColumns,
        ],
      );
      for (const r of inserted) newIds.add(r.id); // none returned when fresh: every row is new
    }
    // the issued events as one recipe row (decision 0016), their payloads kept in memory for the relay;
    // a suspension issued with them follows them (same keys, later rows)
    const records: RecipeRecord[] = [];
    const recipe: IssuedRecipeV1 = { v: 1, items: [] };
    const paused: AnyOutboxMessage[] = [];
    const json = new IssuedEventJson();
    let lastItem = -1;
    for (let r = 0; r < rowIds.length; r += 1) {
      if (!options.fresh && !newIds.has(rowIds[r])) continue;
      const item = issuable[rowEntry[r] - 1];
      const { entry, cause } = item;
      const measure = measureParts[rowMeasure[r] - 1];
      if (rowEntry[r] - 1 !== lastItem) {
        lastItem = rowEntry[r] - 1;
        recipe.items.push({
          actorDept: cause.actorDept,
          correlationId: cause.correlationId,
          assignments: [],
        });
      }
      recipe.items[recipe.items.length - 1].assignments.push(rowIds[r]);
      if (measure.delivery.webhookUrl)
        (recipe.webhooks ??= {})[measure.measure.id] = measure.delivery.webhookUrl;
      records.push({
        key: entry.subjectId,
        value: json.serialize({
          group: item,
          eventId: issuedEventId(rowIds[r]),
          assignmentId: rowIds[r],
          source: TRIGGER_SOURCE,
          entry,
          measure,
          cause,
          target: rowTarget[r],
          feedbackDeadline: rowDeadline[r],
          delivery: measure.delivery,
        }),
      });
      counts.set(entry.entryId, (counts.get(entry.entryId) ?? 0) + 1);
      if (entry.suspended) {
        // issued while the entry's measures are paused: the department learns both at once
        const a = { id: rowIds[r], entryId: entry.entryId, dept: measure.dept, subjectId: entry.subjectId };
        paused.push(this.pausedMessage(a, EventTypes.assignmentSuspended, 'objection open', cause));
      }
    }
    await this.messaging.outbox.addRecipe(manager, {
      kind: ISSUED_RECIPE,
      topic: Topics.assignments,
      eventType: EventTypes.assignmentIssued,
      data: recipe,
      records,
    });
    await this.messaging.outbox.add(manager, paused);
    return counts;
  }

  /**
   * Announces that each entry's fan-out is done and how many assignments it issued, after their issued
   * events (same key, later in the outbox): tracking tells "nothing was due" from "never arrived".
   */
  async fannedOut(
    manager: EntityManager,
    items: { entry: TrackedEntry; measures: number; issued: number; cause: Cause }[],
  ): Promise<void> {
    await this.messaging.outbox.add(
      manager,
      items.map(({ entry, measures, issued, cause }) => {
        const data: AssignmentsFannedOutV1 = {
          entryId: entry.entryId,
          listType: { code: entry.listType, colour: entry.listColour },
          ownerDept: entry.ownerDept,
          generation: entry.generation,
          measures,
          issued,
          at: cause.at.toISOString(),
        };
        return this.message(entry.subjectId, entry.entryId, EventTypes.assignmentsFannedOut, data, cause);
      }),
    );
  }

  /** Lifts every given assignment that still binds; returns how many were lifted. */
  async lift(
    manager: EntityManager,
    assignments: Assignment[],
    reason: string,
    cause: Cause,
  ): Promise<number> {
    // in id order: the order enforcement's end of an entry locks them in (a deadlock otherwise)
    const liftable = assignments.filter((a) => nextAssignmentStatus(a.status, 'lift')).sort(byId);
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
    const changed = assignments
      .filter((a) =>
        action === 'suspend' ? nextAssignmentStatus(a.status, 'suspend') : a.status === 'suspended',
      )
      .sort(byId);
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

/**
 * Assignments in id order, as PostgreSQL orders their uuids (byte by byte: the same as comparing the
 * lower-case text): events about several assignments go out in the order their rows are locked in.
 */
function byId(a: Pick<Assignment, 'id'>, b: Pick<Assignment, 'id'>): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
