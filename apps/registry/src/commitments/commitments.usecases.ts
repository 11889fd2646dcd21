import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import type { FilerRole } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ListEntry } from '../list-entries/list-entry.entity';
import { loadReadableEntry } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { SubjectRegistry } from '../subjects/subject-registry';
import { BreakCommitmentDto, RecordCommitmentDto, SettleCommitmentDto } from './commitment.dto';
import { Commitment } from './commitment.entity';
import { commitmentSettledMessage } from './commitment.events';
import { CommitmentSettlement, settleCommitment } from './commitment.state-machine';
import { toCommitmentView } from './commitment.view';
import { beijingDate, recordCommitment } from './record-commitment';
import { CommitmentErrors } from './commitment.errors';
import { ListEntryErrors } from '../list-entries/list-entry.errors';

/** Whoever keeps the whole register: the credit office's counter and admins; others their own records. */
export const mayActOnAnyCommitment = (principal: Principal) =>
  principal.roles.includes('admin') || principal.roles.includes('credit_office');

function recorderRole(principal: Principal): FilerRole | 'admin' {
  if (principal.roles.includes('initiator')) return 'initiator';
  if (principal.roles.includes('credit_office')) return 'credit_office';
  return 'admin';
}

/** 信用承诺: the register's use cases (recording by a department or the counter; finding kept or broken). */
@Injectable()
export class CommitmentUseCases {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly subjects: SubjectRegistry,
  ) {}

  async record(principal: Principal, input: RecordCommitmentDto, now = new Date()) {
    const allowList = await this.subjects.loadAllowList();
    const subjectId = this.subjects.validate(input.subject.kind, input.subject.id, 'subject.id', allowList);
    if (input.madeOn && input.madeOn > beijingDate(now)) {
      throw new DomainError({
        error: CommitmentErrors.MADE_IN_FUTURE,
        detail: 'madeOn cannot be after today',
        field: 'madeOn',
      });
    }
    if (input.matter === 'repair' && !input.entryId) {
      throw new DomainError({
        error: CommitmentErrors.ENTRY_REQUIRED,
        detail: 'a repair commitment names the entry it belongs to (entryId)',
        field: 'entryId',
      });
    }
    if (input.entryId) {
      // the counter and admins keep the whole register; a department names an entry it may read
      const entry = mayActOnAnyCommitment(principal)
        ? await this.db.getRepository(ListEntry).findOneBy({ id: input.entryId })
        : await loadReadableEntry(this.db, input.entryId, principal).catch(() => null);
      if (!entry) {
        throw new DomainError({
          error: CommitmentErrors.ENTRY_NOT_FOUND,
          detail: `list entry ${input.entryId} does not exist`,
          field: 'entryId',
        });
      }
      if (![entry.subjectId, ...entry.subjectLegacyIds].includes(subjectId.value)) {
        throw new DomainError({
          error: CommitmentErrors.ENTRY_OTHER_SUBJECT,
          detail: 'the entry is about another subject than the commitment',
          field: 'entryId',
        });
      }
    }
    const view = await this.db.transaction((manager) =>
      recordCommitment(manager, this.messaging.outbox, {
        subject: { kind: input.subject.kind, id: subjectId.value, name: input.subject.name },
        matter: input.matter,
        text: input.text,
        madeOn: input.madeOn,
        entryId: input.entryId,
        recordedBy: { sub: principal.sub, dept: principal.dept, role: recorderRole(principal) },
        now,
      }),
    );
    this.messaging.relay.wake();
    return view;
  }

  keep(principal: Principal, id: string, input: SettleCommitmentDto, now = new Date()) {
    return this.settle(principal, id, 'keep', input, now);
  }

  break(principal: Principal, id: string, input: BreakCommitmentDto, now = new Date()) {
    return this.settle(principal, id, 'break', input, now);
  }

  private async settle(
    principal: Principal,
    id: string,
    settlement: CommitmentSettlement,
    input: SettleCommitmentDto,
    now: Date,
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
    this.messaging.relay.wake();
    return view;
  }
}

/**
 * A new entry listed on the basis of a broken commitment (失信承诺): the commitment must exist, be broken
 * and be the same subject's. Locks it in the caller's transaction; `linkBasisCommitment` then names the
 * entry on it once the entry is saved.
 */
export async function checkBasisCommitment(
  manager: EntityManager,
  commitmentId: string,
  subjectIds: readonly string[],
): Promise<Commitment> {
  const commitment = await manager.findOne(Commitment, {
    where: { id: commitmentId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!commitment) {
    throw new DomainError({
      error: ListEntryErrors.BASIS_COMMITMENT_NOT_FOUND,
      detail: `commitment ${commitmentId} does not exist`,
      field: 'basisCommitmentId',
    });
  }
  if (commitment.status !== 'broken') {
    throw new DomainError({
      error: ListEntryErrors.BASIS_COMMITMENT_NOT_BROKEN,
      detail: `commitment ${commitmentId} is ${commitment.status}: only a broken commitment can be the basis of an entry`,
      field: 'basisCommitmentId',
    });
  }
  if (!subjectIds.includes(commitment.subjectId)) {
    throw new DomainError({
      error: ListEntryErrors.BASIS_COMMITMENT_OTHER_SUBJECT,
      detail: 'the commitment was made by another subject than the entry lists',
      field: 'basisCommitmentId',
    });
  }
  return commitment;
}

/** The first entry listed on a broken commitment is named on it. */
export async function linkBasisCommitment(
  manager: EntityManager,
  commitment: Commitment,
  entryId: string,
): Promise<void> {
  if (commitment.newEntryId) return;
  commitment.newEntryId = entryId;
  await manager.save(commitment);
}
