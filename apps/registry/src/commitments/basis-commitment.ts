import { EntityManager } from 'typeorm';
import { DomainError } from '@credit/platform';
import { Commitment } from './commitment.entity';
import { ListEntryErrors } from '../list-entries/list-entry.errors';

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
