import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ListTypeAccess } from '../list-types/list-type-access';
import { RescreenEntriesJob } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB } from '../trigger.tokens';
import { insertMemorandum } from './catalog';
import { CreateMemorandumDto } from './memorandum.dto';

/**
 * The measure catalog (措施清单): a memorandum and its measures; the entries already in force are
 * reached by a background re-screening job.
 */
@Injectable()
export class CreateMemorandumUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly rescreen: RescreenEntriesJob,
    private readonly listTypes: ListTypeAccess,
  ) {}

  async execute(principal: Principal, body: CreateMemorandumDto) {
    const result = await this.db.transaction((manager) =>
      insertMemorandum(manager, { rescreen: this.rescreen, listTypes: this.listTypes }, principal, body),
    );
    this.rescreen.wake();
    return result;
  }
}
