import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { WatchListRepository } from './watch-list.repository';

/** A department takes a subject off its own watch list; 404 when it was not on it. */
@Injectable()
export class UnwatchSubjectUseCase {
  constructor(private readonly watchList: WatchListRepository) {}

  execute(principal: Principal, subjectId: string): Promise<void> {
    return this.watchList.unwatch(principal.dept, subjectId);
  }
}
