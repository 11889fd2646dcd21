import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentPausedV1,
  CloudEvent,
  EventTypes,
  Topics,
} from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { REGISTRY_MESSAGING } from '../registry.tokens';

/**
 * The measures in force against each subject or related person, for its record (GET /v1/me/record):
 * registry's own copy of trigger's assignment events — no service reads another's tables. A lifted
 * assignment is no longer in force, so its row goes.
 *
 * No inbox (decision 0068): every handler is idempotent by the assignment id (insert if absent, delete,
 * set the flag), and an assignment's events share its subject's key, so a redelivery replays them in
 * order and ends where applying them once did.
 */
@Injectable()
export class SubjectMeasuresHandlers implements OnModuleInit {
  constructor(@Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'registry.subject-measures',
      topics: [Topics.assignments],
      handlers: {
        [EventTypes.assignmentIssued]: (event, { manager }) => this.issued(event, manager),
        [EventTypes.assignmentLifted]: (event, { manager }) => this.lifted(event, manager),
        [EventTypes.assignmentSuspended]: (event, { manager }) => this.paused(event, manager, true),
        [EventTypes.assignmentResumed]: (event, { manager }) => this.paused(event, manager, false),
      },
      // a fan-out issues tens of assignments per entry, in bursts: a run of them is one INSERT, and a
      // whole Kafka batch of them (up to 1 MB a partition, ~700 events) one transaction (decision 0064)
      maxBatch: 1000,
      inbox: false,
      batchHandlers: {
        [EventTypes.assignmentIssued]: (events, { manager }) =>
          this.issuedMany(
            events.map((e) => e.event),
            manager,
          ),
      },
    });
  }

  async issued(event: CloudEvent<AssignmentIssuedV1>, manager: EntityManager): Promise<void> {
    await this.issuedMany([event], manager);
  }

  /** The rows of many issued assignments in one statement (one array per column). */
  async issuedMany(events: CloudEvent<AssignmentIssuedV1>[], manager: EntityManager): Promise<void> {
    const column = <T>(of: (a: AssignmentIssuedV1) => T) => events.map((e) => of(e.data));
    await manager.query(
      `INSERT INTO registry.subject_measures (assignment_id, entry_id, dept, measure_code, measure_text, mode,
         legal_basis, target_id, target_role, until, issued_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
       ON CONFLICT (assignment_id) DO NOTHING`,
      [
        column((a) => a.assignmentId),
        column((a) => a.entryId),
        column((a) => a.dept),
        column((a) => a.measure.code),
        column((a) => a.measure.text),
        column((a) => a.measure.mode),
        column((a) => a.measure.legalBasis),
        column((a) => a.target.id),
        column((a) => a.target.role ?? null),
        column((a) => a.period.to),
        column((a) => a.issuedAt),
      ],
    );
  }

  async lifted(event: CloudEvent<AssignmentLiftedV1>, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM registry.subject_measures WHERE assignment_id = $1', [
      event.data.assignmentId,
    ]);
  }

  async paused(event: CloudEvent<AssignmentPausedV1>, manager: EntityManager, suspended: boolean) {
    await manager.query('UPDATE registry.subject_measures SET suspended = $2 WHERE assignment_id = $1', [
      event.data.assignmentId,
      suspended,
    ]);
  }
}
