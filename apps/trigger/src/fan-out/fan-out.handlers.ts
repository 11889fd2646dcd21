import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  CloudEvent,
  EventTypes,
  InfoClass,
  ListEntryAmendedV1,
  ListEntryEndedV1,
  ListEntryObjectionOpenedV1,
  ListEntryObjectionResolvedV1,
  LIFTABLE_ASSIGNMENT_STATUSES,
  ListEntryPublishedV1,
  Topics,
} from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { ListTypeAccess } from '../list-types/list-type-access';
import { TRIGGER_MESSAGING } from '../trigger.tokens';
import { AssignmentIssuer, Cause } from './assignment-issuer';

/**
 * 触发: a published entry becomes one assignment per applicable measure and target; an ended entry lifts
 * them; an objection on a list type that suspends pauses them until it is resolved; a corrected period
 * lifts them and issues them again with the new period. Idempotent twice over: the inbox drops a
 * redelivered event, and the unique (entry, measure, target, generation) key drops a replay.
 */
@Injectable()
export class FanOutHandlers implements OnModuleInit {
  constructor(
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly issuer: AssignmentIssuer,
    private readonly listTypes: ListTypeAccess,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'trigger.list-entries',
      topics: [Topics.listEntries],
      handlers: {
        [EventTypes.listEntryPublished]: (event, { manager }) => this.onPublished(event, manager),
        [EventTypes.listEntryEnded]: (event, { manager }) => this.onEnded(event, manager),
        [EventTypes.listEntryObjectionOpened]: (event, { manager }) => this.onObjectionOpened(event, manager),
        [EventTypes.listEntryObjectionResolved]: (event, { manager }) =>
          this.onObjectionResolved(event, manager),
        [EventTypes.listEntryAmended]: (event, { manager }) => this.onAmended(event, manager),
        // a list type's information class (decision 0023)
        [EventTypes.listTypeAnnounced]: (event, { manager }) => this.listTypes.onAnnounced(event, manager),
      },
      batchHandlers: {
        [EventTypes.listEntryPublished]: (events, { manager }) =>
          this.onPublishedMany(
            events.map((e) => e.event),
            manager,
          ),
      },
    });
  }

  async onPublished(event: CloudEvent<ListEntryPublishedV1>, manager: EntityManager): Promise<void> {
    await this.onPublishedMany([event], manager);
  }

  /** Published entries of one Kafka batch: tracked and fanned out with a handful of set-based queries. */
  async onPublishedMany(events: CloudEvent<ListEntryPublishedV1>[], manager: EntityManager): Promise<void> {
    // one set-based insert (column arrays), not an ORM insert with a bound parameter per value
    const data = events.map((e) => e.data);
    // the class in the snapshot and the one the registry announced for the list type: the stricter of the
    // two when both are known (a reclassification may reach trigger by either first), else the one known;
    // neither (an older registry, a list type not yet announced): none, which counts as C until the
    // registry announces it (fail closed, decision 0023)
    const announced = await this.listTypes.classesOf(manager, [...new Set(data.map((e) => e.listType.code))]);
    const classOf = (e: ListEntryPublishedV1) =>
      stricterClass(e.listType.infoClass, announced.get(e.listType.code));
    const inserted: { entry_id: string }[] = await manager.query(
      `INSERT INTO trigger.entries (entry_id, owner_dept, list_type, list_colour, subject_id, subject_kind,
         subject_name, subject_legacy_ids, related_persons, period_from, period_to, status, generation, suspended,
         info_class, severity, decision_amount, violation_kind, recognised_measures, origin_region)
       SELECT entry_id, owner_dept, list_type, list_colour, subject_id, subject_kind, subject_name,
         ARRAY(SELECT jsonb_array_elements_text(legacy_ids)), related_persons, period_from, period_to,
         'published', 0, false, info_class, severity, decision_amount, violation_kind,
         CASE WHEN recognised IS NULL OR recognised = 'null'::jsonb THEN NULL
           ELSE ARRAY(SELECT jsonb_array_elements_text(recognised)) END, origin_region
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::jsonb[], $9::jsonb[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::text[],
         $14::numeric[], $15::text[], $16::jsonb[], $17::text[])
         AS e(entry_id, owner_dept, list_type, list_colour, subject_id, subject_kind, subject_name, legacy_ids,
           related_persons, period_from, period_to, info_class, severity, decision_amount, violation_kind,
           recognised, origin_region)
       ON CONFLICT DO NOTHING
       RETURNING entry_id`,
      [
        data.map((e) => e.entryId),
        data.map((e) => e.ownerDept),
        data.map((e) => e.listType.code),
        data.map((e) => e.listType.colour),
        data.map((e) => e.subject.id),
        data.map((e) => e.subject.kind),
        data.map((e) => e.subject.name ?? ''),
        data.map((e) => JSON.stringify(e.subject.legacyIds ?? [])),
        data.map((e) => JSON.stringify(e.relatedPersons)),
        data.map((e) => new Date(e.period.from).toISOString()),
        data.map((e) => new Date(e.period.to).toISOString()),
        data.map(classOf),
        data.map((e) => e.listType.severity ?? null),
        data.map((e) => e.decision?.amount ?? null),
        data.map((e) => e.decision?.violationKind ?? null),
        data.map((e) => (e.recognisedMeasures ? JSON.stringify(e.recognisedMeasures) : null)),
        data.map((e) => e.origin?.region ?? null),
      ],
    );
    // Entries this insert created are exactly what the event says (no need to read them back) and have no
    // assignment yet; the others (a replay, an event seen under another id) are read and issued with
    // ON CONFLICT, which issues nothing twice.
    const created = new Set(inserted.map((r) => r.entry_id));
    const fresh: { entry: TrackedEntry; event: CloudEvent<ListEntryPublishedV1> }[] = [];
    const replayed: CloudEvent<ListEntryPublishedV1>[] = [];
    for (const event of events) {
      if (created.delete(event.data.entryId.toLowerCase()))
        fresh.push({ entry: trackedEntryOf(event.data, classOf(event.data)), event });
      else replayed.push(event);
    }
    const known = replayed.length
      ? await manager.findBy(TrackedEntry, { entryId: In(replayed.map((e) => e.data.entryId)) })
      : [];
    const byId = new Map(known.map((e) => [e.entryId, e]));
    const entries = [...fresh.map((f) => f.entry), ...known];
    const measures = await this.issuer.applicableMeasuresMany(manager, entries);
    const item = (entry: TrackedEntry, event: CloudEvent) => ({
      entry,
      measures: measures.get(entry.entryId) ?? [],
      cause: causeOf(event),
    });
    const freshItems = fresh.map((f) => item(f.entry, f.event));
    const replayedItems = replayed.map((event) => item(byId.get(event.data.entryId)!, event));
    const issued = await this.issuer.issueCounted(manager, freshItems, { fresh: true });
    if (replayedItems.length > 0) {
      for (const [entryId, n] of await this.issuer.issueCounted(manager, replayedItems))
        issued.set(entryId, (issued.get(entryId) ?? 0) + n);
    }
    // after the issued events (same key, later in the outbox): tracking tells "none due" from "lost"
    await this.issuer.fannedOut(
      manager,
      [...freshItems, ...replayedItems].map(({ entry, measures, cause }) => ({
        entry,
        measures: measures.length,
        issued: issued.get(entry.entryId) ?? 0,
        cause,
      })),
    );
  }

  async onEnded(event: CloudEvent<ListEntryEndedV1>, manager: EntityManager): Promise<void> {
    await manager.update(
      TrackedEntry,
      { entryId: event.data.entryId },
      { status: 'ended', suspended: false },
    );
    await this.issuer.lift(
      manager,
      await this.binding(manager, event.data.entryId),
      event.data.reason,
      causeOf(event),
    );
  }

  async onObjectionOpened(
    event: CloudEvent<ListEntryObjectionOpenedV1>,
    manager: EntityManager,
  ): Promise<void> {
    if (!event.data.suspendMeasures) return;
    const entry = await this.entryForUpdate(manager, event.data.entryId);
    if (!entry || entry.status !== 'published') return;
    entry.suspended = true;
    await manager.save(entry);
    const reason = `objection ${event.data.objectionId} open (异议处理期间暂停)`;
    await this.issuer.pause(
      manager,
      await this.binding(manager, entry.entryId),
      'suspend',
      reason,
      causeOf(event),
    );
  }

  async onObjectionResolved(
    event: CloudEvent<ListEntryObjectionResolvedV1>,
    manager: EntityManager,
  ): Promise<void> {
    const entry = await this.entryForUpdate(manager, event.data.entryId);
    if (!entry || !entry.suspended) return;
    entry.suspended = false;
    await manager.save(entry);
    if (entry.status !== 'published') return; // withdrawn: the entry ended and everything was lifted
    const reason = `objection ${event.data.objectionId} ${event.data.outcome}`;
    await this.issuer.pause(
      manager,
      await this.binding(manager, entry.entryId),
      'resume',
      reason,
      causeOf(event),
    );
  }

  /** A corrected period: the assignments are lifted and issued again (a new generation) with the new period. */
  async onAmended(event: CloudEvent<ListEntryAmendedV1>, manager: EntityManager): Promise<void> {
    if (!event.data.changed.includes('period')) return;
    const entry = await this.entryForUpdate(manager, event.data.entryId);
    if (!entry || entry.status !== 'published') return;
    const cause = causeOf(event);
    await this.issuer.lift(
      manager,
      await this.binding(manager, entry.entryId),
      'corrected: re-issued with the new period',
      cause,
    );
    entry.periodFrom = new Date(event.data.period.from);
    entry.periodTo = new Date(event.data.period.to);
    entry.generation += 1;
    await manager.save(entry);
    const measures = await this.issuer.applicableMeasures(manager, entry);
    const issued = await this.issuer.issue(manager, entry, measures, cause);
    await this.issuer.fannedOut(manager, [{ entry, measures: measures.length, issued, cause }]);
  }

  private entryForUpdate(manager: EntityManager, entryId: string) {
    return manager.findOne(TrackedEntry, { where: { entryId }, lock: { mode: 'pessimistic_write' } });
  }

  private binding(manager: EntityManager, entryId: string): Promise<Assignment[]> {
    return manager
      .createQueryBuilder(Assignment, 'a')
      .setLock('pessimistic_write')
      .where('a.entry_id = :entryId', { entryId })
      .andWhere('a.status IN (:...statuses)', { statuses: LIFTABLE_ASSIGNMENT_STATUSES })
      .orderBy('a.issued_at')
      .addOrderBy('a.id')
      .getMany();
  }
}

/** The row the entries insert writes for a published entry (status published, generation 0, not suspended). */
function trackedEntryOf(data: ListEntryPublishedV1, infoClass: TrackedEntry['infoClass']): TrackedEntry {
  return Object.assign(new TrackedEntry(), {
    entryId: data.entryId.toLowerCase(), // as the uuid column gives it back
    ownerDept: data.ownerDept,
    listType: data.listType.code,
    listColour: data.listType.colour,
    infoClass,
    severity: data.listType.severity ?? null,
    decisionAmount: data.decision?.amount ?? null,
    violationKind: data.decision?.violationKind ?? null,
    subjectId: data.subject.id,
    subjectKind: data.subject.kind,
    subjectName: data.subject.name ?? '',
    subjectLegacyIds: data.subject.legacyIds ?? [],
    relatedPersons: data.relatedPersons,
    periodFrom: new Date(data.period.from),
    periodTo: new Date(data.period.to),
    recognisedMeasures: data.recognisedMeasures ?? null,
    originRegion: data.origin?.region ?? null,
    status: 'published',
    generation: 0,
    suspended: false,
  } satisfies TrackedEntry);
}

const CLASS_RANK = { A: 0, B: 1, C: 2 } as const;

/** The stricter of two information classes; the one given when only one is; null when neither is. */
export function stricterClass(
  a: InfoClass | null | undefined,
  b: InfoClass | null | undefined,
): InfoClass | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return CLASS_RANK[a] >= CLASS_RANK[b] ? a : b;
}

function causeOf(event: CloudEvent): Cause {
  return { actorDept: event.actordept, correlationId: event.id, at: new Date(event.time) };
}
