import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { BatchCheckDto } from './check.dto';
import { CheckSubjectUseCase } from './check-subject.usecase';
import { SweepDetector } from './sweep-detector';

/**
 * Up to 1,000 subjects for one action (e.g. every bidder of a tender), each checked as a single check
 * would be and at the same instant; how many found nothing feeds the sweep alert (decision 0022) once
 * for the batch.
 */
@Injectable()
export class CheckBatchUseCase {
  constructor(
    private readonly checkSubject: CheckSubjectUseCase,
    private readonly sweeps: SweepDetector,
  ) {}

  async execute(principal: Principal, body: BatchCheckDto, now = new Date()) {
    const items = [];
    let misses = 0;
    for (const subject of body.subjects) {
      const answer = await this.checkSubject.execute(principal, subject.id, body.action, body.stage, now);
      if (answer.reasons.length === 0) misses += 1;
      items.push(answer);
    }
    this.sweeps.observe(principal, items.length, misses);
    return items;
  }
}
