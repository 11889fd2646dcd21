import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentPausedV1,
  CloudEvent,
  EventTypes,
  nextAssignmentStatus,
  Topics,
} from '@credit/contracts';
import { RejectedEventError, ServiceMessaging } from '@credit/messaging';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { DepartmentAssignment } from './department-assignment.entity';

/** Keeps each department's inbox in step with the assignments trigger issues and lifts. */
@Injectable()
export class AssignmentEventsHandlers implements OnModuleInit {
  constructor(@Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'enforcement.assignments',
      topics: [Topics.assignments],
      handlers: {
        [EventTypes.assignmentIssued]: (event, { manager }) => this.onIssued(event, manager),
        [EventTypes.assignmentLifted]: (event, { manager }) => this.onLifted(event, manager),
        [EventTypes.assignmentSuspended]: (event, { manager }) => this.onPaused(event, manager, 'suspend'),
        [EventTypes.assignmentResumed]: (event, { manager }) => this.onPaused(event, manager, 'resume'),
      },
    });
  }

  async onIssued(event: CloudEvent<AssignmentIssuedV1>, manager: EntityManager): Promise<void> {
    const a = event.data;
    await manager
      .createQueryBuilder()
      .insert()
      .into(DepartmentAssignment)
      .values({
        id: a.assignmentId,
        entryId: a.entryId,
        dept: a.dept,
        measure: a.measure,
        listType: a.listType.code,
        listColour: a.listType.colour,
        subjectId: a.subject.id,
        subjectKind: a.subject.kind,
        subjectName: a.subject.name ?? '',
        targetId: a.target.id,
        targetKind: a.target.kind,
        targetRole: a.target.role ?? null,
        targetName: a.target.name ?? null,
        periodFrom: new Date(a.period.from),
        periodTo: new Date(a.period.to),
        status: 'issued',
        issuedAt: new Date(a.issuedAt),
        feedbackDeadline: new Date(a.feedbackDeadline),
        acknowledgedAt: null,
        liftedAt: null,
        suspendedFrom: null,
        generation: a.generation ?? 0,
        subscribed: a.delivery?.subscribed ?? false,
        channel: a.delivery?.channel ?? 'pull',
        webhookUrl: a.delivery?.webhookUrl ?? null,
        updatedAt: new Date(a.issuedAt),
      })
      .orIgnore()
      .execute();
  }

  /** Paused while an objection is open (the measure does not bind meanwhile), then resumed. */
  async onPaused(
    event: CloudEvent<AssignmentPausedV1>,
    manager: EntityManager,
    action: 'suspend' | 'resume',
  ) {
    const assignment = await manager.findOne(DepartmentAssignment, {
      where: { id: event.data.assignmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!assignment) {
      throw new RejectedEventError(
        'ASSIGNMENT.UNKNOWN',
        `${action} for unknown assignment ${event.data.assignmentId}`,
      );
    }
    if (action === 'suspend') {
      if (!nextAssignmentStatus(assignment.status, 'suspend')) return;
      assignment.suspendedFrom = assignment.status;
      assignment.status = 'suspended';
    } else {
      if (assignment.status !== 'suspended') return;
      assignment.status = assignment.suspendedFrom ?? 'issued';
      assignment.suspendedFrom = null;
    }
    assignment.updatedAt = new Date(event.data.at);
    await manager.save(assignment);
  }

  async onLifted(event: CloudEvent<AssignmentLiftedV1>, manager: EntityManager): Promise<void> {
    const lift = event.data;
    const assignment = await manager.findOne(DepartmentAssignment, {
      where: { id: lift.assignmentId },
      lock: { mode: 'pessimistic_write' },
    });
    // records of one subject arrive in order (same key), so a lift never precedes its issue
    if (!assignment) {
      throw new RejectedEventError('ASSIGNMENT.UNKNOWN', `lift for unknown assignment ${lift.assignmentId}`);
    }
    const next = nextAssignmentStatus(assignment.status, 'lift');
    if (!next) return; // already lifted or not applicable: nothing binds any more
    assignment.status = next;
    assignment.suspendedFrom = null;
    assignment.liftedAt = new Date(lift.liftedAt);
    assignment.updatedAt = assignment.liftedAt;
    await manager.save(assignment);
  }
}
