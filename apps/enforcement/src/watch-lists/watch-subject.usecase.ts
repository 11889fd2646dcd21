import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { WatchListRepository } from './watch-list.repository';

/**
 * A department adds a subject to its watch list (or changes its note): only a subject it has a reason to
 * follow (a measure it implements, or an admin's grant), within the cap.
 */
@Injectable()
export class WatchSubjectUseCase {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    private readonly watchList: WatchListRepository,
  ) {}

  async execute(principal: Principal, subjectId: string, note: string | null) {
    await this.db.transaction((manager) => this.watchList.watch(manager, principal, subjectId, note));
    return { subjectId, note };
  }
}
