import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { loadEntryForFiling } from '../list-entries/list-entry.party-access';
import { receiptNumber } from '../list-entries/receipt-number';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { FileStatementDto } from './statement.dto';
import { Statement } from './statement.entity';
import { statementReceivedMessage } from './statement.events';
import { toStatementView } from './statement.view';
import { StatementErrors } from './statement.errors';

/**
 * 陈述申辩: a party (or the counter for it, or the owner's initiator on its behalf) states its case on a
 * noticed entry until the statement deadline; the entry cannot be published while one is unanswered.
 */
@Injectable()
export class FileStatementUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, entryId: string, input: FileStatementDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const { entry, filer } = await loadEntryForFiling(manager, entryId, principal, input.onBehalfOf);
      if (entry.status !== 'noticed') {
        throw new DomainError({
          error: StatementErrors.ENTRY_NOT_NOTICED,
          detail: `a statement is made on a noticed entry; this one is ${entry.status} (仅可在告知后陈述申辩)`,
          extra: { currentStatus: entry.status },
        });
      }
      if (entry.statementDeadline && now > entry.statementDeadline) {
        throw new DomainError({
          error: StatementErrors.PERIOD_OVER,
          detail: `the statement period ended at ${entry.statementDeadline.toISOString()} (陈述申辩期已届满)`,
          extra: { statementDeadline: entry.statementDeadline.toISOString() },
        });
      }
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      const statement = await manager.save(
        manager.create(Statement, {
          id: randomUUID(),
          receiptNo: receiptNumber('ST', now),
          entryId: entry.id,
          ownerDept: entry.ownerDept,
          content: input.content,
          filedByRole: filer.role,
          filedBy: filer.by,
          filedByDept: filer.dept,
          onBehalfOf: filer.onBehalfOf,
          receivedAt: now,
          status: 'received',
          reply: null,
          remedy: null,
          answeredAt: null,
          answeredBy: null,
          closedAt: null,
        }),
      );
      await this.messaging.outbox.add(manager, [statementReceivedMessage(entry, listType, statement)]);
      return toStatementView(statement);
    });
    return view;
  }
}
