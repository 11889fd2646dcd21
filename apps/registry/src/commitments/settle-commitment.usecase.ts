import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { mayActOnAnyCommitment } from './commitment.access';
import { SettleCommitmentDto } from './commitment.dto';
import { Commitment } from './commitment.entity';
import { commitmentSettledMessage } from './commitment.events';
import { CommitmentSettlement, settleCommitment } from './commitment.state-machine';
import { toCommitmentView } from './commitment.view';
import { CommitmentErrors } from './commitment.errors';

/** 守信 or 失信: the department the commitment was made to (or the counter) finds it kept or broken. */
@Injectable()
export class SettleCommitmentUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(
    principal: Principal,
    id: string,
    settlement: CommitmentSettlement,
    input: SettleCommitmentDto,
    now = new Date(),
  ) {
    const at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime()) {
      throw new DomainError({
        error: CommitmentErrors.SETTLED_IN_FUTURE,
        detail: 'at cannot be in the future',
        field: 'at',
      });
    }
    const view = await this.db.transaction(async (manager) => {
      const commitment = await manager.findOne(Commitment, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!commitment)
        throw new DomainError({
          error: CommitmentErrors.NOT_FOUND,
          detail: `commitment ${id} does not exist`,
        });
      if (!mayActOnAnyCommitment(principal) && commitment.recordedByDept !== principal.dept) {
        throw new DomainError({
          error: CommitmentErrors.NOT_RECORDER,
          detail: `only ${commitment.recordedByDept}, to which the commitment was made, or the credit office may settle it`,
        });
      }
      if (at < commitment.recordedAt) {
        throw new DomainError({
          error: CommitmentErrors.SETTLED_BEFORE_RECORDED,
          detail: 'at cannot be before the commitment was recorded',
          field: 'at',
        });
      }
      commitment.status = settleCommitment(commitment.status, settlement);
      commitment.settledAt = at;
      commitment.settledBy = principal.sub;
      commitment.settledByDept = principal.dept || null;
      commitment.settlementNote = input.note ?? null;
      const saved = await manager.save(commitment);
      await this.messaging.outbox.add(manager, [commitmentSettledMessage(saved)]);
      return toCommitmentView(saved);
    });
    return view;
  }
}
