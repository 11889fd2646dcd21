import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { documentsOnPublish, requestDocuments } from '../documents/document-requests';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { publishEntry } from './publish-entry';
import { toListEntryView } from './list-entry.view';

/** After the statement period the entry takes effect; the event fans out to every implementing department. */
@Injectable()
export class PublishListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly documents: IssueDocumentsJob,
  ) {}

  async execute(principal: Principal, id: string, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      const saved = await publishEntry(manager, this.messaging.outbox, entry, listType, principal.dept, now);
      // 两书同达: the listing decision and the repair notice, generated after the commit (decision 0026)
      await requestDocuments(manager, saved, documentsOnPublish(listType), now);
      return toListEntryView(saved);
    });
    this.documents.wake();
    return view;
  }
}
