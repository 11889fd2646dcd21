import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { EventTypes } from './event-types';
import {
  AccessRecordedV1,
  ListEntryAnonymisedV1,
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentPausedV1,
  AssignmentsFannedOutV1,
  CheckDecidedV1,
  DepartmentRegisteredV1,
  CheckHitV1,
  FeedbackAcknowledgedV1,
  FeedbackEnforcedV1,
  FeedbackLiftConfirmedV1,
  FeedbackNotApplicableV1,
  ListEntryAmendedV1,
  ListEntryEndedV1,
  ListEntryObjectionOpenedV1,
  ListEntryObjectionResolvedV1,
  ListEntryPublishedV1,
  TrackingOverdueV1,
  WebhookHostAllowedV1,
  WebhookHostDisallowedV1,
} from './payloads';
import {
  CommitmentBrokenV1,
  CommitmentKeptV1,
  CommitmentRecordedV1,
  DocumentIssuedV1,
  ListEntryNoticedV1,
  RepairAcceptedV1,
  RepairDecidedV1,
  RepairWithdrawnV1,
  DueProcessClosedV1,
  RepairMaterialRequestedV1,
  RepairMaterialSuppliedV1,
  RepairSubmittedV1,
  StatementAnsweredV1,
  StatementReceivedV1,
} from './due-process';
import { ListTypeAnnouncedV1, ListTypeImplementersV1 } from './list-type-access';
import { MeasureExcludedV1 } from './lawful-measures';
import { PublicationPublishedV1, PublicationWithdrawnV1 } from './publication';

/** A payload schema: a class with validation decorators, constructed with no arguments. */
export type PayloadClass = new () => object;

/** The payload schema of each event type the platform produces. */
export const EVENT_SCHEMAS: Readonly<Record<string, PayloadClass>> = {
  [EventTypes.listEntryPublished]: ListEntryPublishedV1,
  [EventTypes.listEntryEnded]: ListEntryEndedV1,
  [EventTypes.listEntryObjectionOpened]: ListEntryObjectionOpenedV1,
  [EventTypes.listEntryObjectionResolved]: ListEntryObjectionResolvedV1,
  [EventTypes.listEntryAmended]: ListEntryAmendedV1,
  [EventTypes.assignmentIssued]: AssignmentIssuedV1,
  [EventTypes.assignmentLifted]: AssignmentLiftedV1,
  [EventTypes.assignmentSuspended]: AssignmentPausedV1,
  [EventTypes.assignmentResumed]: AssignmentPausedV1,
  [EventTypes.assignmentsFannedOut]: AssignmentsFannedOutV1,
  [EventTypes.feedbackAcknowledged]: FeedbackAcknowledgedV1,
  [EventTypes.feedbackEnforced]: FeedbackEnforcedV1,
  [EventTypes.feedbackNotApplicable]: FeedbackNotApplicableV1,
  [EventTypes.feedbackLiftConfirmed]: FeedbackLiftConfirmedV1,
  [EventTypes.checkHit]: CheckHitV1,
  [EventTypes.checkDecided]: CheckDecidedV1,
  [EventTypes.trackingOverdue]: TrackingOverdueV1,
  [EventTypes.departmentRegistered]: DepartmentRegisteredV1,
  [EventTypes.accessRecorded]: AccessRecordedV1,
  [EventTypes.listEntryAnonymised]: ListEntryAnonymisedV1,
  [EventTypes.webhookHostAllowed]: WebhookHostAllowedV1,
  [EventTypes.webhookHostDisallowed]: WebhookHostDisallowedV1,
  [EventTypes.listTypeAnnounced]: ListTypeAnnouncedV1,
  [EventTypes.listTypeImplementers]: ListTypeImplementersV1,
  [EventTypes.listEntryNoticed]: ListEntryNoticedV1,
  [EventTypes.statementReceived]: StatementReceivedV1,
  [EventTypes.statementAnswered]: StatementAnsweredV1,
  [EventTypes.repairSubmitted]: RepairSubmittedV1,
  [EventTypes.repairMaterialRequested]: RepairMaterialRequestedV1,
  [EventTypes.repairMaterialSupplied]: RepairMaterialSuppliedV1,
  [EventTypes.repairAccepted]: RepairAcceptedV1,
  [EventTypes.repairDecided]: RepairDecidedV1,
  [EventTypes.repairWithdrawn]: RepairWithdrawnV1,
  [EventTypes.dueProcessClosed]: DueProcessClosedV1,
  [EventTypes.documentIssued]: DocumentIssuedV1,
  [EventTypes.commitmentRecorded]: CommitmentRecordedV1,
  [EventTypes.commitmentBroken]: CommitmentBrokenV1,
  [EventTypes.commitmentKept]: CommitmentKeptV1,
  [EventTypes.measureExcluded]: MeasureExcludedV1,
  [EventTypes.publicationPublished]: PublicationPublishedV1,
  [EventTypes.publicationWithdrawn]: PublicationWithdrawnV1,
};

export interface PayloadViolation {
  field: string;
  constraint: string;
  message: string;
}

/** Flattens class-validator's tree into `field.path` violations. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): PayloadViolation[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      constraint,
      message,
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/**
 * Validates an event's data against the schema of its type. Returns the violations (empty when valid);
 * `undefined` when the type has no registered schema.
 */
export function validateEventData(type: string, data: unknown): PayloadViolation[] | undefined {
  const schema = EVENT_SCHEMAS[type];
  if (!schema) return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [{ field: 'data', constraint: 'isObject', message: 'data must be a JSON object' }];
  }
  return fullValidation(schema, data);
}

/** class-transformer's copy into the schema's class, then class-validator over it: the violations. */
export function fullValidation(schema: PayloadClass, data: object): PayloadViolation[] {
  try {
    const instance = plainToInstance(schema, data);
    return flattenValidationErrors(validateSync(instance, { forbidUnknownValues: true }));
  } catch (err) {
    // class-transformer throws on some shapes (an object whose "constructor" key is not a class): a
    // message that cannot be read is refused like any other, not retried for ever
    return [
      { field: 'data', constraint: 'readable', message: `data cannot be read: ${(err as Error).message}` },
    ];
  }
}
