/** CloudEvents `type` values (API.md). The version suffix changes only for a breaking payload change. */
export const EventTypes = {
  listEntryPublished: 'credit.list-entry.published.v1',
  listEntryEnded: 'credit.list-entry.ended.v1',
  listEntryObjectionOpened: 'credit.list-entry.objection-opened.v1',
  listEntryObjectionResolved: 'credit.list-entry.objection-resolved.v1',
  listEntryAmended: 'credit.list-entry.amended.v1',
  assignmentIssued: 'credit.assignment.issued.v1',
  assignmentLifted: 'credit.assignment.lifted.v1',
  assignmentSuspended: 'credit.assignment.suspended.v1',
  assignmentResumed: 'credit.assignment.resumed.v1',
  /** trigger finished an entry's fan-out: how many assignments it issued (0 when no measure applies) */
  assignmentsFannedOut: 'credit.assignment.fanned-out.v1',
  feedbackAcknowledged: 'credit.feedback.acknowledged.v1',
  feedbackEnforced: 'credit.feedback.enforced.v1',
  feedbackNotApplicable: 'credit.feedback.not-applicable.v1',
  feedbackLiftConfirmed: 'credit.feedback.lift-confirmed.v1',
  checkHit: 'credit.check.hit.v1',
  /** what the checking department did with a hit (applied / not applied with a reason) */
  checkDecided: 'credit.check.decided.v1',
  trackingOverdue: 'credit.tracking.overdue.v1',
  departmentRegistered: 'credit.department.registered.v1',
  /** reads of personal data in one service, for the access log (who, which subject, what, when) */
  accessRecorded: 'credit.access.recorded.v1',
  /** an ended entry's personal data was anonymised after its retention period: copies do the same */
  listEntryAnonymised: 'credit.list-entry.anonymised.v1',
  /** an admin allow-listed a webhook host (loopback, private …), or took it off the list */
  webhookHostAllowed: 'credit.webhook-host.allowed.v1',
  webhookHostDisallowed: 'credit.webhook-host.disallowed.v1',
  /** a list type's information class (registry → trigger, on credit.list-entries, key = list type) */
  listTypeAnnounced: 'credit.list-type.announced.v1',
  /** the departments implementing a measure on a list type (trigger → registry, on credit.departments) */
  listTypeImplementers: 'credit.list-type.implementers.v1',
  /* the listed subject as a party (issue 13): on credit.list-entries, keyed like the entry's events */
  listEntryNoticed: 'credit.list-entry.noticed.v1',
  statementReceived: 'credit.statement.received.v1',
  statementAnswered: 'credit.statement.answered.v1',
  repairSubmitted: 'credit.repair.submitted.v1',
  repairMaterialRequested: 'credit.repair.material-requested.v1',
  repairMaterialSupplied: 'credit.repair.material-supplied.v1',
  repairAccepted: 'credit.repair.accepted.v1',
  repairDecided: 'credit.repair.decided.v1',
  /** the applicant withdrew a repair application not yet decided: its deadlines stop */
  repairWithdrawn: 'credit.repair.withdrawn.v1',
  /** a statement, objection or repair application left open when its entry ended was closed with it */
  dueProcessClosed: 'credit.due-process.closed.v1',
  documentIssued: 'credit.document.issued.v1',
  /* on credit.commitments, keyed by the subject's identifier */
  commitmentRecorded: 'credit.commitment.recorded.v1',
  commitmentBroken: 'credit.commitment.broken.v1',
  commitmentKept: 'credit.commitment.kept.v1',
  /* 过惩相当: an owner excluded a measure from one entry (on credit.assignments, keyed by the subject) */
  measureExcluded: 'credit.measure.excluded.v1',
  /* on credit.publication, keyed by the entry id (issue 14) */
  publicationPublished: 'credit.publication.published.v1',
  publicationWithdrawn: 'credit.publication.withdrawn.v1',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];
