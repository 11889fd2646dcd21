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
import { HandlerContext, RejectedEventError, ServiceMessaging } from '@credit/messaging';
import { InboxRejections } from './inbox.errors';
import { ActiveMeasures } from '../checks/active-measures';
import { tablePartitionOf } from '../checks/active-measures/table-partitions';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { DepartmentAssignment } from './department-assignment.entity';

/** Keeps each department's inbox in step with the assignments trigger issues and lifts. */
@Injectable()
export class AssignmentEventsHandlers implements OnModuleInit {
  constructor(
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly activeMeasures: ActiveMeasures,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'enforcement.assignments',
      topics: [Topics.assignments],
      handlers: {
        [EventTypes.assignmentIssued]: (event, context) =>
          this.changing(context, () => this.onIssued(event, context.manager)),
        [EventTypes.assignmentLifted]: (event, context) =>
          this.changing(context, () => this.onLifted(event, context.manager)),
        [EventTypes.assignmentSuspended]: (event, context) =>
          this.changing(context, () => this.onPaused(event, context.manager, 'suspend')),
        [EventTypes.assignmentResumed]: (event, context) =>
          this.changing(context, () => this.onPaused(event, context.manager, 'resume')),
      },
    });
  }

  /**
   * Runs a change and, once it committed, drops the subject's binding measures from every replica's
   * memory, so the check never answers from what the change replaced.
   */
  private async changing(
    context: HandlerContext,
    change: () => Promise<DepartmentAssignment | null | undefined | void>,
  ): Promise<void> {
    const assignment = await change();
    if (!assignment) return;
    const keys = [assignment.targetId, assignment.subjectId, ...assignment.subjectLegacyIds];
    context.onCommitted(() => this.activeMeasures.invalidate([...new Set(keys)]));
  }

  async onIssued(
    event: CloudEvent<AssignmentIssuedV1>,
    manager: EntityManager,
  ): Promise<DepartmentAssignment | null> {
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
        subjectLegacyIds: a.subject.legacyIds ?? [],
        targetId: a.target.id,
        keyPartition: tablePartitionOf(a.target.id),
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
    return manager.findOneBy(DepartmentAssignment, {
      id: a.assignmentId,
      keyPartition: tablePartitionOf(a.target.id),
    });
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
        InboxRejections.UNKNOWN.code,
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
    return manager.save(assignment);
  }

  async onLifted(
    event: CloudEvent<AssignmentLiftedV1>,
    manager: EntityManager,
  ): Promise<DepartmentAssignment | undefined> {
    const lift = event.data;
    // in its target's table partition (decision 0080): a lookup by id alone plans and locks all 48
    const assignment = await manager.findOne(DepartmentAssignment, {
      where: { id: lift.assignmentId, keyPartition: tablePartitionOf(lift.target.id) },
      lock: { mode: 'pessimistic_write' },
    });
    // records of one subject arrive in order (same key), so a lift never precedes its issue
    if (!assignment) {
      throw new RejectedEventError(
        InboxRejections.UNKNOWN.code,
        `lift for unknown assignment ${lift.assignmentId}`,
      );
    }
    const next = nextAssignmentStatus(assignment.status, 'lift');
    if (!next) return; // already lifted or not applicable: nothing binds any more
    assignment.status = next;
    assignment.suspendedFrom = null;
    assignment.liftedAt = new Date(lift.liftedAt);
    assignment.updatedAt = assignment.liftedAt;
    // the row is locked and in hand: one UPDATE (save() would first read it again to diff it), on the
    // path from a lift to the check answering allow
    await manager.update(
      DepartmentAssignment,
      { id: assignment.id, keyPartition: assignment.keyPartition },
      { status: next, suspendedFrom: null, liftedAt: assignment.liftedAt, updatedAt: assignment.updatedAt },
    );
    return assignment;
  }
}
