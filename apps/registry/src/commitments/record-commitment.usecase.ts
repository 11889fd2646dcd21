import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import type { FilerRole } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ListEntry } from '../list-entries/list-entry.entity';
import { loadReadableEntry } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { SubjectRegistry } from '../subjects/subject-registry';
import { mayActOnAnyCommitment } from './commitment.access';
import { RecordCommitmentDto } from './commitment.dto';
import { beijingDate, recordCommitment } from './record-commitment';
import { CommitmentErrors } from './commitment.errors';

function recorderRole(principal: Principal): FilerRole | 'admin' {
  if (principal.roles.includes('initiator')) return 'initiator';
  if (principal.roles.includes('credit_office')) return 'credit_office';
  return 'admin';
}

/** 信用承诺: a department, or the counter, records a commitment made to it in the register. */
@Injectable()
export class RecordCommitmentUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly subjects: SubjectRegistry,
  ) {}

  async execute(principal: Principal, input: RecordCommitmentDto, now = new Date()) {
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
    return view;
  }
}
