import { Statement } from './statement.entity';

/** The answer document (陈述申辩答复书) of a statement, as its parties see it. */
export interface StatementDocumentRef {
  id: string;
  kind: string;
  title: string;
  status: string;
  issuedAt: string | null;
  download: string | null;
}

export function toStatementView(s: Statement, documents: StatementDocumentRef[] = []) {
  return {
    id: s.id,
    receiptNo: s.receiptNo,
    entryId: s.entryId,
    ownerDept: s.ownerDept,
    content: s.content,
    filedBy: { role: s.filedByRole, dept: s.filedByDept, onBehalfOf: s.onBehalfOf },
    receivedAt: s.receivedAt.toISOString(),
    status: s.status,
    reply: s.reply,
    remedy: s.remedy,
    answeredAt: s.answeredAt?.toISOString() ?? null,
    /** closed unanswered when its entry ended (status closed_entry_ended) */
    closedAt: s.closedAt?.toISOString() ?? null,
    documents,
  };
}
