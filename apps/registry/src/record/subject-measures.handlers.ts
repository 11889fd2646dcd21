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
    });
  }

  async issued(event: CloudEvent<AssignmentIssuedV1>, manager: EntityManager): Promise<void> {
    const a = event.data;
    await manager.query(
      `INSERT INTO registry.subject_measures (assignment_id, entry_id, dept, measure_code, measure_text, mode,
         legal_basis, target_id, target_role, until, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (assignment_id) DO NOTHING`,
      [
        a.assignmentId,
        a.entryId,
        a.dept,
        a.measure.code,
        a.measure.text,
        a.measure.mode,
        a.measure.legalBasis,
        a.target.id,
        a.target.role ?? null,
        new Date(a.period.to),
        new Date(a.issuedAt),
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
