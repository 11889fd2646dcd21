import { Statement } from './statement.entity';

export function toStatementView(s: Statement) {
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
  };
}
