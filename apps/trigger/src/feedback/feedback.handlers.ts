import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AssignmentCommand,
  CloudEvent,
  EventTypes,
  FeedbackBaseV1,
  nextAssignmentStatus,
  nextSuspendedStatus,
  Topics,
} from '@credit/contracts';
import { handleEach, RejectedEventError, ServiceMessaging } from '@credit/messaging';
import { FeedbackRejections } from './feedback.errors';
import { Assignment } from '../assignments/assignment.entity';
import { TRIGGER_MESSAGING } from '../trigger.tokens';

const FEEDBACK_TYPES = [
  EventTypes.feedbackAcknowledged,
  EventTypes.feedbackEnforced,
  EventTypes.feedbackNotApplicable,
  EventTypes.feedbackLiftConfirmed,
] as const;

const COMMAND_BY_TYPE: Record<string, AssignmentCommand> = {
  [EventTypes.feedbackAcknowledged]: 'acknowledge',
  [EventTypes.feedbackEnforced]: 'enforce',
  [EventTypes.feedbackNotApplicable]: 'mark_not_applicable',
  [EventTypes.feedbackLiftConfirmed]: 'confirm_lift',
};

/**
 * 反馈: each department's feedback moves its assignment along the lifecycle. Feedback that cannot
 * belong (unknown assignment, another department's, not allowed in the current state) is not applied:
 * it is dead-lettered with the reason, for the supervisor to see.
 */
@Injectable()
export class FeedbackHandlers implements OnModuleInit {
  constructor(@Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    const apply = (event: CloudEvent<FeedbackBaseV1>, { manager }: { manager: EntityManager }) =>
      this.apply(event, manager);
    this.messaging.consume({
      name: 'trigger.feedback',
      topics: [Topics.feedback],
      handlers: handleEach(FEEDBACK_TYPES, apply),
    });
  }

  async apply(event: CloudEvent<FeedbackBaseV1>, manager: EntityManager): Promise<void> {
    const feedback = event.data;
    const assignment = await manager.findOne(Assignment, {
      where: { id: feedback.assignmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!assignment) {
      throw new RejectedEventError(
        FeedbackRejections.UNKNOWN_ASSIGNMENT.code,
        `assignment ${feedback.assignmentId} does not exist`,
      );
    }
    if (assignment.dept !== feedback.dept || (event.actordept && event.actordept !== assignment.dept)) {
      throw new RejectedEventError(
        FeedbackRejections.WRONG_DEPARTMENT.code,
        `assignment ${assignment.id} belongs to ${assignment.dept}, not ${event.actordept ?? feedback.dept}`,
      );
    }
    const command = COMMAND_BY_TYPE[event.type];
    const suspended = assignment.status === 'suspended' && assignment.suspendedFrom !== null;
    const next = suspended
      ? nextSuspendedStatus(assignment.suspendedFrom!, command)
      : nextAssignmentStatus(assignment.status, command);
    if (!next) {
      throw new RejectedEventError(
        FeedbackRejections.OUT_OF_ORDER.code,
        `cannot ${command} assignment ${assignment.id} in status ${assignment.status}`,
      );
    }
    // feedback that crossed a suspension on its way is kept for when the assignment resumes
    if (suspended) assignment.suspendedFrom = next;
    else assignment.status = next;
    assignment.updatedAt = new Date(feedback.at);
    await manager.save(assignment);
  }
}
