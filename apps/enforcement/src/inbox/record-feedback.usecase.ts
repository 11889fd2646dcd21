import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import {
  AssignmentCommand,
  EventTypes,
  FeedbackBaseV1,
  nextAssignmentStatus,
  nextSuspendedStatus,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING, ENFORCEMENT_SOURCE } from '../enforcement.tokens';
import { DepartmentAssignment } from './department-assignment.entity';
import { toInboxView } from './inbox.view';
import { InboxErrors } from './inbox.errors';

export type FeedbackInput =
  | { command: 'acknowledge' }
  | { command: 'enforce'; detail: string; reference?: string }
  | { command: 'mark_not_applicable'; detail: string }
  | { command: 'confirm_lift' };

const EVENT_TYPE: Record<FeedbackInput['command'], string> = {
  acknowledge: EventTypes.feedbackAcknowledged,
  enforce: EventTypes.feedbackEnforced,
  mark_not_applicable: EventTypes.feedbackNotApplicable,
  confirm_lift: EventTypes.feedbackLiftConfirmed,
};

/**
 * 反馈: the implementing department acknowledges, reports enforcement or non-applicability, confirms a
 * lift. The state change and its feedback event commit together (outbox).
 */
@Injectable()
export class RecordFeedbackUseCase {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, id: string, input: FeedbackInput, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const assignment = await manager.findOne(DepartmentAssignment, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!assignment)
        throw new DomainError({ error: InboxErrors.NOT_FOUND, detail: `assignment ${id} does not exist` });
      if (assignment.dept !== principal.dept) {
        throw new DomainError({
          error: InboxErrors.OTHER_DEPARTMENT,
          detail: `assignment ${id} belongs to another department`,
        });
      }
      // acknowledging twice is harmless: department systems retry
      if (input.command === 'acknowledge' && assignment.acknowledgedAt) return toInboxView(assignment);
      // feedback given while the assignment is paused applies to the status it will resume to
      const suspended = assignment.status === 'suspended' && assignment.suspendedFrom !== null;
      const command = input.command as AssignmentCommand;
      const next = suspended
        ? nextSuspendedStatus(assignment.suspendedFrom!, command)
        : nextAssignmentStatus(assignment.status, command);
      if (!next) {
        throw new DomainError({
          error: InboxErrors.TRANSITION_NOT_ALLOWED,
          detail: `cannot ${input.command.replace('_', ' ')} an assignment that is ${assignment.status} (当前状态不允许此操作)`,
          extra: { currentStatus: assignment.status, command: input.command },
        });
      }
      if (suspended) assignment.suspendedFrom = next;
      else assignment.status = next;
      assignment.updatedAt = now;
      if (input.command === 'acknowledge') assignment.acknowledgedAt = now;
      const saved = await manager.save(assignment);

      const base: FeedbackBaseV1 = {
        assignmentId: saved.id,
        entryId: saved.entryId,
        dept: saved.dept,
        actor: principal.sub,
        at: now.toISOString(),
      };
      const data =
        input.command === 'enforce'
          ? { ...base, detail: input.detail, ...(input.reference ? { reference: input.reference } : {}) }
          : input.command === 'mark_not_applicable'
            ? { ...base, detail: input.detail }
            : base;
      await this.messaging.outbox.add(manager, [
        {
          topic: Topics.feedback,
          key: saved.subjectId,
          event: createCloudEvent({
            type: EVENT_TYPE[input.command],
            source: ENFORCEMENT_SOURCE,
            subject: saved.entryId,
            actorDept: principal.dept,
            data,
            time: now,
          }),
        },
      ]);
      return toInboxView(saved);
    });
    return view;
  }
}
