import { EventType, EventTypes } from './event-types';
import { Topic, Topics } from './topics';

/** The services that produce and consume events (the embedded process runs the four in one). */
export type EventService = 'registry' | 'trigger' | 'enforcement' | 'tracking';

/**
 * Where each event type travels and who writes it: the AsyncAPI document (`docs/events/asyncapi.json`) is
 * generated from this table and EVENT_SCHEMAS. `satisfies` makes an event type without a row a compile
 * error, as EVENT_SCHEMAS does for its schema.
 */
export const EVENT_CHANNELS = {
  [EventTypes.listEntryPublished]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listEntryEnded]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listEntryObjectionOpened]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listEntryObjectionResolved]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listEntryAmended]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listEntryAnonymised]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listEntryNoticed]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.listTypeAnnounced]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.statementReceived]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.statementAnswered]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.repairSubmitted]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.repairMaterialRequested]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.repairMaterialSupplied]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.repairAccepted]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.repairDecided]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.repairWithdrawn]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.dueProcessClosed]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.documentIssued]: { topic: Topics.listEntries, producers: ['registry'] },
  [EventTypes.assignmentIssued]: { topic: Topics.assignments, producers: ['trigger'] },
  [EventTypes.assignmentLifted]: { topic: Topics.assignments, producers: ['trigger'] },
  [EventTypes.assignmentSuspended]: { topic: Topics.assignments, producers: ['trigger'] },
  [EventTypes.assignmentResumed]: { topic: Topics.assignments, producers: ['trigger'] },
  [EventTypes.assignmentsFannedOut]: { topic: Topics.assignments, producers: ['trigger'] },
  [EventTypes.measureExcluded]: { topic: Topics.assignments, producers: ['trigger'] },
  [EventTypes.feedbackAcknowledged]: { topic: Topics.feedback, producers: ['enforcement'] },
  [EventTypes.feedbackEnforced]: { topic: Topics.feedback, producers: ['enforcement'] },
  [EventTypes.feedbackNotApplicable]: { topic: Topics.feedback, producers: ['enforcement'] },
  [EventTypes.feedbackLiftConfirmed]: { topic: Topics.feedback, producers: ['enforcement'] },
  [EventTypes.checkHit]: { topic: Topics.feedback, producers: ['enforcement'] },
  [EventTypes.checkDecided]: { topic: Topics.feedback, producers: ['enforcement'] },
  [EventTypes.trackingOverdue]: { topic: Topics.tracking, producers: ['tracking'] },
  [EventTypes.departmentRegistered]: { topic: Topics.departments, producers: ['registry'] },
  [EventTypes.listTypeImplementers]: { topic: Topics.departments, producers: ['trigger'] },
  // enforcement keeps its own reads in its access log directly, not through the topic
  [EventTypes.accessRecorded]: { topic: Topics.access, producers: ['registry', 'trigger', 'tracking'] },
  [EventTypes.webhookHostAllowed]: { topic: Topics.webhookHosts, producers: ['enforcement'] },
  [EventTypes.webhookHostDisallowed]: { topic: Topics.webhookHosts, producers: ['enforcement'] },
  [EventTypes.commitmentRecorded]: { topic: Topics.commitments, producers: ['registry'] },
  [EventTypes.commitmentBroken]: { topic: Topics.commitments, producers: ['registry'] },
  [EventTypes.commitmentKept]: { topic: Topics.commitments, producers: ['registry'] },
  [EventTypes.publicationPublished]: { topic: Topics.publication, producers: ['registry'] },
  [EventTypes.publicationWithdrawn]: { topic: Topics.publication, producers: ['registry'] },
} as const satisfies { [T in EventType]: { topic: Topic; producers: readonly EventService[] } };

/**
 * Each topic: what it carries, its record key, and the services whose consumer groups read it (a group
 * reads every record of its topics and skips the types it has no handler for).
 */
export const TOPIC_CHANNELS: {
  [T in Topic]: { description: string; key: string; consumers: readonly EventService[] };
} = {
  [Topics.listEntries]: {
    description: 'A list entry’s life (registry): publication, end, objections, amendments, due process.',
    key: 'the listed subject’s identifier (a list type’s announcement: its code)',
    consumers: ['trigger', 'enforcement', 'tracking'],
  },
  [Topics.assignments]: {
    description: 'Assignments of measures to implementing departments (trigger), and their changes.',
    key: 'the listed subject’s identifier',
    consumers: ['registry', 'enforcement', 'tracking'],
  },
  [Topics.feedback]: {
    description: 'What implementing departments did with their assignments and checks (enforcement).',
    key: 'the listed subject’s identifier',
    consumers: ['trigger', 'tracking'],
  },
  [Topics.tracking]: {
    description: 'Follow-up of overdue assignments (tracking).',
    key: 'the listed subject’s identifier',
    consumers: ['tracking'],
  },
  [Topics.departments]: {
    description: 'Departments as the registry registers them, and the implementers of each list type.',
    key: 'the department code (implementers: the list type code)',
    consumers: ['registry', 'trigger', 'enforcement', 'tracking'],
  },
  [Topics.access]: {
    description: 'Reads of personal data in each service, for enforcement’s access log (decision 0021).',
    key: 'the subject’s identifier',
    consumers: ['enforcement'],
  },
  [Topics.webhookHosts]: {
    description: 'The admins’ allow-list of webhook hosts, as enforcement keeps it.',
    key: 'the host',
    consumers: ['trigger', 'tracking'],
  },
  [Topics.commitments]: {
    description: 'The commitment register (信用承诺).',
    key: 'the subject’s identifier',
    consumers: ['tracking'],
  },
  [Topics.publication]: {
    description: '公示 and its withdrawal, masked, for external platforms (issue 14).',
    key: 'the list entry id',
    consumers: [],
  },
};
