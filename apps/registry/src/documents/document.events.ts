import { DocumentIssuedV1, EventTypes } from '@credit/contracts';
import { OutboxMessage } from '@credit/messaging';
import { ListEntry } from '../list-entries/list-entry.entity';
import { entryMessage } from '../list-entries/list-entry.events';
import { EntryDocument } from './document.entity';

/** A document generated and served, in order with the entry's events (keyed by its subject). */
export function documentIssuedMessage(
  document: Pick<
    EntryDocument,
    | 'id'
    | 'kind'
    | 'ownerDept'
    | 'applicationId'
    | 'title'
    | 'issuedAt'
    | 'statementId'
    | 'version'
    | 'supersedes'
  >,
  entry: ListEntry,
): OutboxMessage {
  const data: DocumentIssuedV1 = {
    documentId: document.id,
    entryId: entry.id,
    kind: document.kind,
    ownerDept: document.ownerDept,
    ...(document.applicationId ? { applicationId: document.applicationId } : {}),
    title: document.title,
    issuedAt: document.issuedAt!.toISOString(),
    ...(document.statementId ? { statementId: document.statementId } : {}),
    // a later version, issued again after a correction of the entry, names the one it replaces
    ...(document.supersedes ? { version: document.version, supersedes: document.supersedes } : {}),
  };
  return entryMessage(entry, EventTypes.documentIssued, data, document.ownerDept, document.issuedAt!);
}
