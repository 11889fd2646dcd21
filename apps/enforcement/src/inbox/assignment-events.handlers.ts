import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
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
        updatedAt: new Date(a.issuedAt),
      })
      .orIgnore()
      .execute();
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
    assignment.liftedAt = new Date(lift.liftedAt);
    assignment.updatedAt = assignment.liftedAt;
    await manager.save(assignment);
  }
}
