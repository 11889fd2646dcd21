import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  ACTIVE_ASSIGNMENT_STATUSES,
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  CloudEvent,
  EventTypes,
  ListEntryEndedV1,
  ListEntryPublishedV1,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, OutboxMessage, ServiceMessaging } from '@credit/messaging';
import { WorkingCalendar } from '@credit/calendar';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { Measure } from '../memoranda/measure.entity';
import { TRIGGER_MESSAGING, TRIGGER_SOURCE } from '../trigger.tokens';
import { resolveTargets } from './resolve-targets';

/**
 * 触发: a published entry becomes one assignment per applicable measure and target; an ended entry
 * lifts every assignment still binding. Idempotent twice over: the inbox drops a redelivered event, and
 * the unique (entry, measure, target) key drops a replay of the same entry under a new event id.
 */
@Injectable()
export class FanOutHandlers implements OnModuleInit {
  constructor(
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly calendar: WorkingCalendar,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'trigger.list-entries',
      topics: [Topics.listEntries],
      handlers: {
        [EventTypes.listEntryPublished]: (event, { manager }) => this.onPublished(event, manager),
        [EventTypes.listEntryEnded]: (event, { manager }) => this.onEnded(event, manager),
      },
    });
  }

  async onPublished(event: CloudEvent<ListEntryPublishedV1>, manager: EntityManager): Promise<void> {
    const entry = event.data;
    await manager
      .createQueryBuilder()
      .insert()
      .into(TrackedEntry)
      .values({
        entryId: entry.entryId,
        ownerDept: entry.ownerDept,
        listType: entry.listType.code,
        subjectId: entry.subject.id,
        status: 'published',
      })
      .orIgnore()
      .execute();

    const measures = await manager
      .createQueryBuilder(Measure, 'm')
      .where('m.current')
      .andWhere(':listType = ANY(m.list_types)', { listType: entry.listType.code })
      .andWhere(':kind = ANY(m.subject_kinds)', { kind: entry.subject.kind })
      .orderBy('m.code')
      .getMany();

    const issuedAt = new Date(event.time);
    const candidates = measures.flatMap((measure) =>
      resolveTargets(measure, entry).map((target) => ({ measure, target })),
    );
    if (candidates.length === 0) return;

    const rows = candidates.map(({ measure, target }) => ({
      id: randomUUID(),
      entryId: entry.entryId,
      measureId: measure.id,
      measureCode: measure.code,
      measureVersion: measure.version,
      dept: measure.dept,
      listType: entry.listType.code,
      subjectId: entry.subject.id,
      targetId: target.id,
      targetKind: target.kind,
      targetRole: target.role ?? null,
      status: 'issued' as const,
      issuedAt,
      feedbackDeadline: this.calendar.addWorkingDays(issuedAt, measure.feedbackWorkingDays),
      updatedAt: issuedAt,
    }));
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Assignment)
      .values(rows)
      .orIgnore() // unique (entry_id, measure_id, target_id): a replay issues nothing twice
      .returning(['id'])
      .execute();
    const newIds = new Set((inserted.raw as { id: string }[]).map((r) => r.id));

    const messages: OutboxMessage[] = candidates
      .map((c, i) => ({ ...c, row: rows[i] }))
      .filter(({ row }) => newIds.has(row.id))
      .map(({ measure, target, row }) => {
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
          listType: entry.listType,
          subject: { kind: entry.subject.kind, id: entry.subject.id, name: entry.subject.name },
          target,
          period: entry.period,
          issuedAt: issuedAt.toISOString(),
          feedbackDeadline: row.feedbackDeadline.toISOString(),
        };
        return {
          topic: Topics.assignments,
          key: entry.subject.id,
          event: createCloudEvent({
            type: EventTypes.assignmentIssued,
            source: TRIGGER_SOURCE,
            subject: entry.entryId,
            actorDept: event.actordept,
            correlationId: event.id,
            data,
            time: issuedAt,
          }),
        };
      });
    await this.messaging.outbox.add(manager, messages);
  }

  async onEnded(event: CloudEvent<ListEntryEndedV1>, manager: EntityManager): Promise<void> {
    const ended = event.data;
    await manager.update(TrackedEntry, { entryId: ended.entryId }, { status: 'ended' });
    const active = await manager
      .createQueryBuilder(Assignment, 'a')
      .setLock('pessimistic_write')
      .where('a.entry_id = :entryId', { entryId: ended.entryId })
      .andWhere('a.status IN (:...statuses)', { statuses: ACTIVE_ASSIGNMENT_STATUSES })
      .orderBy('a.issued_at')
      .addOrderBy('a.id')
      .getMany();
    if (active.length === 0) return;
    const liftedAt = new Date(event.time);
    await manager
      .createQueryBuilder()
      .update(Assignment)
      .set({ status: 'lifted', updatedAt: liftedAt })
      .whereInIds(active.map((a) => a.id))
      .execute();
    await this.messaging.outbox.add(
      manager,
      active.map((a) => {
        const data: AssignmentLiftedV1 = {
          assignmentId: a.id,
          entryId: a.entryId,
          dept: a.dept,
          target: { id: a.targetId, kind: a.targetKind, ...(a.targetRole ? { role: a.targetRole } : {}) },
          reason: ended.reason,
          liftedAt: liftedAt.toISOString(),
        };
        return {
          topic: Topics.assignments,
          key: a.subjectId,
          event: createCloudEvent({
            type: EventTypes.assignmentLifted,
            source: TRIGGER_SOURCE,
            subject: a.entryId,
            actorDept: event.actordept,
            correlationId: event.id,
            data,
            time: liftedAt,
          }),
        };
      }),
    );
  }
}
