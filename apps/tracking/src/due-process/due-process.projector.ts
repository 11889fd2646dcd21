import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CloudEvent,
  CommitmentBrokenV1,
  CommitmentKeptV1,
  CommitmentRecordedV1,
  DocumentIssuedV1,
  DueProcessClosedV1,
  EventTypes,
  ListEntryNoticedV1,
  ListEntryObjectionOpenedV1,
  ListEntryObjectionResolvedV1,
  ListEntryPublishedV1,
  RepairAcceptedV1,
  RepairDecidedV1,
  RepairEventBaseV1,
  RepairMaterialRequestedV1,
  RepairMaterialSuppliedV1,
  RepairSubmittedV1,
  RepairWithdrawnV1,
  StatementAnsweredV1,
  StatementReceivedV1,
} from '@credit/contracts';

type Apply = (manager: EntityManager, data: never) => Promise<unknown>;

/** Creates a repair application's row from what every repair event carries, then records the step. */
async function repair(
  manager: EntityManager,
  r: RepairEventBaseV1,
  status: string,
  set: string,
  params: unknown[],
): Promise<void> {
  await manager.query(
    `INSERT INTO tracking.repair_applications (application_id, entry_id, owner_dept, list_type, status)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (application_id) DO UPDATE SET status = EXCLUDED.status`,
    [r.applicationId, r.entryId, r.ownerDept, r.listType.code, status],
  );
  await manager.query(`UPDATE tracking.repair_applications SET ${set} WHERE application_id = $1`, [
    r.applicationId,
    ...params,
  ]);
}

/** A statement, objection or repair application closed when its entry ended. */
async function closed(manager: EntityManager, d: DueProcessClosedV1): Promise<void> {
  const row = [d.applicationId, d.entryId, d.ownerDept, d.listType.code, d.closedAt];
  if (d.kind === 'statement') {
    await manager.query(
      `INSERT INTO tracking.statements (statement_id, entry_id, owner_dept, list_type, received_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (statement_id) DO UPDATE SET closed_at = EXCLUDED.closed_at`,
      row,
    );
  } else if (d.kind === 'objection') {
    await manager.query(
      `INSERT INTO tracking.objections (objection_id, entry_id, owner_dept, list_type, closed_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (objection_id) DO UPDATE SET closed_at = EXCLUDED.closed_at, outcome = EXCLUDED.outcome`,
      [...row, d.outcome],
    );
  } else {
    await repair(manager, { ...d, at: d.closedAt }, 'closed_entry_ended', 'closed_at = $2, outcome = $3', [
      d.closedAt,
      d.outcome,
    ]);
  }
}

/**
 * What each due-process event changes in tracking's tables (notices, statements, objections, repair
 * applications, documents, commitments). Events of one subject arrive in order (one key), and each is
 * applied once (the trail's inbox), so every handler simply records the step it reports.
 */
const HANDLERS: Record<string, Apply> = {
  [EventTypes.listEntryNoticed]: (m, d: ListEntryNoticedV1) =>
    m.query(
      `INSERT INTO tracking.notices (entry_id, owner_dept, list_type, noticed_at, statement_deadline)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (entry_id) DO UPDATE SET noticed_at = EXCLUDED.noticed_at,
         statement_deadline = EXCLUDED.statement_deadline`,
      [d.entryId, d.ownerDept, d.listType.code, d.noticedAt, d.statementDeadline],
    ),
  [EventTypes.statementReceived]: (m, d: StatementReceivedV1) =>
    m.query(
      `INSERT INTO tracking.statements (statement_id, entry_id, owner_dept, list_type, filed_by_role, received_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (statement_id) DO UPDATE SET filed_by_role = EXCLUDED.filed_by_role,
         received_at = EXCLUDED.received_at`,
      [d.statementId, d.entryId, d.ownerDept, d.listType.code, d.filedBy.role, d.receivedAt],
    ),
  [EventTypes.statementAnswered]: (m, d: StatementAnsweredV1) =>
    m.query(
      `INSERT INTO tracking.statements (statement_id, entry_id, owner_dept, list_type, received_at, answered_at, accepted)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (statement_id) DO UPDATE SET answered_at = EXCLUDED.answered_at, accepted = EXCLUDED.accepted`,
      [d.statementId, d.entryId, d.ownerDept, d.listType.code, d.receivedAt, d.answeredAt, d.accepted],
    ),
  [EventTypes.listEntryObjectionOpened]: (m, d: ListEntryObjectionOpenedV1) =>
    m.query(
      `INSERT INTO tracking.objections (objection_id, entry_id, owner_dept, list_type, opened_at, deadline)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (objection_id) DO UPDATE SET opened_at = EXCLUDED.opened_at, deadline = EXCLUDED.deadline`,
      [d.objectionId, d.entryId, d.ownerDept, d.listType.code, d.openedAt, d.deadline],
    ),
  [EventTypes.listEntryObjectionResolved]: (m, d: ListEntryObjectionResolvedV1) =>
    m.query(
      `INSERT INTO tracking.objections (objection_id, entry_id, owner_dept, list_type, resolved_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (objection_id) DO UPDATE SET resolved_at = EXCLUDED.resolved_at, outcome = EXCLUDED.outcome`,
      [d.objectionId, d.entryId, d.ownerDept, d.listType.code, d.resolvedAt, d.outcome],
    ),
  [EventTypes.repairSubmitted]: (m, d: RepairSubmittedV1) =>
    repair(m, d, 'submitted', 'filed_by_role = $2, submitted_at = $3, accept_deadline = $4', [
      d.filedBy.role,
      d.at,
      d.acceptDeadline,
    ]),
  // the acceptance clock pauses while the applicant gathers what was asked for
  [EventTypes.repairMaterialRequested]: (m, d: RepairMaterialRequestedV1) =>
    repair(
      m,
      d,
      'material_requested',
      'material_requested_at = $2, material_requests = material_requests + 1',
      [d.at],
    ),
  [EventTypes.repairMaterialSupplied]: (m, d: RepairMaterialSuppliedV1) =>
    repair(m, d, 'submitted', 'material_requested_at = NULL, accept_deadline = $2', [d.acceptDeadline]),
  [EventTypes.repairAccepted]: (m, d: RepairAcceptedV1) =>
    repair(
      m,
      d,
      'accepted',
      'accepted_at = $2, accept_deadline = $3, decide_deadline = $4, accepted_on_time = $5',
      [d.at, d.acceptDeadline, d.decideDeadline, d.onTime],
    ),
  [EventTypes.repairDecided]: (m, d: RepairDecidedV1) =>
    repair(m, d, 'decided', 'decided_at = $2, decide_deadline = $3, decided_on_time = $4, outcome = $5', [
      d.at,
      d.decideDeadline,
      d.onTime,
      d.outcome,
    ]),
  // withdrawn by the applicant: no deadline of it runs any more (decision 0030)
  [EventTypes.repairWithdrawn]: (m, d: RepairWithdrawnV1) =>
    repair(m, d, 'withdrawn', 'closed_at = $2, outcome = $3', [d.at, 'withdrawn']),
  // left open when its entry ended: closed with it, its deadlines stop counting
  [EventTypes.dueProcessClosed]: (m, d: DueProcessClosedV1) => closed(m, d),
  [EventTypes.documentIssued]: (m, d: DocumentIssuedV1) =>
    m.query(
      `INSERT INTO tracking.documents (document_id, entry_id, owner_dept, kind, application_id, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (document_id) DO NOTHING`,
      [d.documentId, d.entryId, d.ownerDept, d.kind, d.applicationId ?? null, d.issuedAt],
    ),
  // an entry listed on a broken commitment (the first names it)
  [EventTypes.listEntryPublished]: (m, d: ListEntryPublishedV1) =>
    d.basisCommitmentId
      ? m.query(
          `UPDATE tracking.commitments SET new_entry_id = COALESCE(new_entry_id, $2) WHERE commitment_id = $1`,
          [d.basisCommitmentId, d.entryId],
        )
      : Promise.resolve(),
  [EventTypes.commitmentRecorded]: (m, d: CommitmentRecordedV1) =>
    m.query(
      `INSERT INTO tracking.commitments
         (commitment_id, subject_kind, matter, entry_id, recorded_by_dept, recorded_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'open')
       ON CONFLICT (commitment_id) DO UPDATE SET recorded_at = EXCLUDED.recorded_at`,
      [d.commitmentId, d.subject.kind, d.matter, d.entryId ?? null, d.recordedByDept, d.recordedAt],
    ),
  [EventTypes.commitmentKept]: (m, d: CommitmentKeptV1) =>
    m.query(
      `INSERT INTO tracking.commitments
         (commitment_id, subject_kind, matter, entry_id, recorded_by_dept, status, kept_at)
       VALUES ($1, $2, $3, $4, $5, 'kept', $6)
       ON CONFLICT (commitment_id) DO UPDATE SET status = 'kept', kept_at = EXCLUDED.kept_at`,
      [d.commitmentId, d.subject.kind, d.matter, d.entryId ?? null, d.recordedByDept, d.keptAt],
    ),
  [EventTypes.commitmentBroken]: (m, d: CommitmentBrokenV1) =>
    m.query(
      `INSERT INTO tracking.commitments
         (commitment_id, subject_kind, matter, entry_id, recorded_by_dept, status, broken_at, new_entry_id)
       VALUES ($1, $2, $3, $4, $5, 'broken', $6, $7)
       ON CONFLICT (commitment_id) DO UPDATE SET status = 'broken', broken_at = EXCLUDED.broken_at,
         new_entry_id = COALESCE(EXCLUDED.new_entry_id, commitments.new_entry_id)`,
      [
        d.commitmentId,
        d.subject.kind,
        d.matter,
        d.entryId ?? null,
        d.recordedByDept,
        d.brokenAt,
        d.newEntryId ?? null,
      ],
    ),
};

export const DUE_PROCESS_EVENT_TYPES: readonly string[] = Object.keys(HANDLERS);

/** Keeps tracking's due-process tables in step with the events, in the trail's transaction. */
@Injectable()
export class DueProcessProjector {
  async apply(event: CloudEvent<Record<string, unknown>>, manager: EntityManager): Promise<void> {
    const handler = HANDLERS[event.type];
    if (handler) await handler(manager, event.data as never);
  }
}
