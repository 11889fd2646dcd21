import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { WatchListRepository } from './watch-list.repository';

/** An admin lets a department watch a subject it implements no measure for (e.g. a licensee). */
@Injectable()
export class GrantWatchUseCase {
  constructor(private readonly watchList: WatchListRepository) {}

  async execute(principal: Principal, dept: string, subjectId: string) {
    await this.watchList.grant(dept, subjectId, principal.sub);
    return { dept, subjectId };
  }
}
