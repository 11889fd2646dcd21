import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { requestDocuments } from '../documents/document-requests';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { endEntry } from '../list-entries/end-entry';
import { loadOwnedEntryForUpdate } from '../list-entries/list-entry.access';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { AnswerStatementDto } from './statement.dto';
import { Statement } from './statement.entity';
import { statementAnsweredMessage } from './statement.events';
import { answerStatementStatus } from './statement.state-machine';
import { toStatementView } from './statement.view';
import { StatementErrors } from './statement.errors';

/** The owner answers a statement; an accepted one ends the entry revoked or corrected. */
@Injectable()
export class AnswerStatementUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly documents: IssueDocumentsJob,
  ) {}

  async execute(principal: Principal, statementId: string, input: AnswerStatementDto, now = new Date()) {
    if (input.accepted && !input.remedy) {
      throw new DomainError({
        error: StatementErrors.REMEDY_REQUIRED,
        detail: 'an accepted statement says what becomes of the entry: remedy revoked or corrected',
        field: 'remedy',
      });
    }
    if (!input.accepted && input.remedy) {
      throw new DomainError({
        error: StatementErrors.REMEDY_NOT_ALLOWED,
        detail: 'a statement not accepted leaves the entry as it is: no remedy',
        field: 'remedy',
      });
    }
    const view = await this.db.transaction(async (manager) => {
      const found = await manager.findOneBy(Statement, { id: statementId });
      if (!found)
        throw new DomainError({
          error: StatementErrors.NOT_FOUND,
          detail: `statement ${statementId} does not exist`,
        });
      const entry = await loadOwnedEntryForUpdate(manager, found.entryId, principal);
      const statement = await manager.findOneOrFail(Statement, {
        where: { id: statementId },
        lock: { mode: 'pessimistic_write' },
      });
      statement.status = answerStatementStatus(statement.status, input.accepted ? 'accept' : 'not_accept');
      statement.reply = input.reply;
      statement.answeredAt = now;
      statement.answeredBy = principal.sub;
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      // an entry another accepted statement already ended stays as it is
      const ends = input.accepted && entry.status !== 'ended';
      if (ends) statement.remedy = input.remedy!;
      // saved before the entry ends, so that the end does not close it as left open
      await manager.save(statement);
      if (ends) {
        await endEntry(manager, this.messaging.outbox, entry, {
          reason: input.remedy!,
          note: `statement ${statement.receiptNo} accepted: ${input.reply}`,
          actorDept: principal.dept,
          now,
        });
      }
      await this.messaging.outbox.add(manager, [
        statementAnsweredMessage(entry, listType, statement, principal.dept),
      ]);
      // 陈述申辩答复书: the answer, with its reason, served on the subject like the other documents
      await requestDocuments(manager, entry, ['statement_answer'], now, null, statement.id);
      return toStatementView(statement);
    });
    this.documents.wake();
    return view;
  }
}
