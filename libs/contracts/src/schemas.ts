import { TSchema } from '@sinclair/typebox';
import { EventType, EventTypes } from './event-types';
import {
  AccessRecordedV1,
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentPausedV1,
  AssignmentsFannedOutV1,
  CheckDecidedV1,
  CheckHitV1,
  DepartmentRegisteredV1,
  FeedbackAcknowledgedV1,
  FeedbackEnforcedV1,
  FeedbackLiftConfirmedV1,
  FeedbackNotApplicableV1,
  ListEntryAmendedV1,
  ListEntryAnonymisedV1,
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
  DueProcessClosedV1,
  ListEntryNoticedV1,
  RepairAcceptedV1,
  RepairDecidedV1,
  RepairMaterialRequestedV1,
  RepairMaterialSuppliedV1,
  RepairSubmittedV1,
  RepairWithdrawnV1,
  StatementAnsweredV1,
  StatementReceivedV1,
} from './due-process';
import { ListTypeAnnouncedV1, ListTypeImplementersV1 } from './list-type-access';
import { MeasureExcludedV1 } from './lawful-measures';
import { PublicationPublishedV1, PublicationWithdrawnV1 } from './publication';

/**
 * The payload schema of each event type (decision 0043). The one place an event type meets its schema:
 * adding an event is a type in EventTypes, its schema beside the others, and one line here (the compiler
 * refuses a type without one). Consumers' handlers, the validator and docs/events/ all follow from it.
 */
export const EVENT_SCHEMAS = {
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
} as const satisfies { readonly [T in EventType]: TSchema };

/** The payload of each event type, derived from its schema: `EventPayloads['credit.list-entry.published.v1']`. */
export type EventPayloads = { [T in EventType]: (typeof EVENT_SCHEMAS)[T]['static'] };

/** The payload of an event type; `unknown` for a type outside the contract (and for `*`). */
export type PayloadOf<T extends string> = T extends EventType ? EventPayloads[T] : unknown;

/** An event type of the contract (one with a schema). */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, type);
}
