import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { WatchListRepository } from './watch-list.repository';

/**
 * A department adds a subject to its watch list (or changes its note): only a subject it has a reason to
 * follow (a measure it implements, or an admin's grant), within the cap.
 */
@Injectable()
export class WatchSubjectUseCase {
  constructor(private readonly watchList: WatchListRepository) {}

  async execute(principal: Principal, subjectId: string, note: string | null) {
    await this.watchList.watch(principal, subjectId, note);
    return { subjectId, note };
  }
}
