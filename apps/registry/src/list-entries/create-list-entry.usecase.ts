import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { checkBasisCommitment, linkBasisCommitment } from '../commitments/basis-commitment';
import { ListType } from '../list-types/list-type.entity';
import {
  assertOpenEndedAllowed,
  assertPeriodStartHasReason,
  assertSubjectNotExcluded,
} from '../list-types/periods';
import { assertPeriodFitsSeverity, periodDays } from '../list-types/severity';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectRegistry } from '../subjects/subject-registry';
import { CreateListEntryDto } from './list-entry.dto';
import { ListEntry } from './list-entry.entity';
import { toListEntryView } from './list-entry.view';
import { ListTypeErrors } from '../list-types/list-type.errors';
import { ListEntryErrors } from './list-entry.errors';

/** An initiator of the list type's owning department records a decision as a draft entry. */
@Injectable()
export class CreateListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly subjects: SubjectRegistry,
  ) {}

  async execute(principal: Principal, input: CreateListEntryDto) {
    const allowList = await this.subjects.loadAllowList();
    const subjectId = this.subjects.validate(input.subject.kind, input.subject.id, 'subject.id', allowList);
    const legacyIds = this.subjects.validateLegacyIds(input.subject.legacyIds ?? [], 'subject.legacyIds');
    const relatedPersons = (input.relatedPersons ?? []).map((p, i) => ({
      role: p.role,
      kind: p.kind,
      id: this.subjects.validate(p.kind, p.id, `relatedPersons[${i}].id`, allowList).value,
      name: p.name,
    }));
    return this.db.transaction(async (manager) => {
      const listType = await manager.findOneBy(ListType, { code: input.listType });
      if (!listType) {
        throw new DomainError({
          error: ListTypeErrors.NOT_FOUND_IN_REQUEST,
          detail: `list type ${input.listType} does not exist`,
          field: 'listType',
        });
      }
      if (listType.ownerDept !== principal.dept) {
        throw new DomainError({
          error: ListEntryErrors.NOT_OWNER,
          detail: `list type ${listType.code} is owned by ${listType.ownerDept}; ${principal.dept} may not list on it`,
        });
      }
      if (!listType.subjectKinds.includes(input.subject.kind)) {
        throw new DomainError({
          error: ListEntryErrors.SUBJECT_KIND_NOT_ALLOWED,
          detail: `list type ${listType.code} does not take subjects of kind ${input.subject.kind}`,
          field: 'subject.kind',
        });
      }
      assertSubjectNotExcluded(
        listType,
        { kind: input.subject.kind, id: subjectId.value },
        input.decision.date,
        new Date(),
        'subject.id',
      );
      if (input.openEnded) {
        assertOpenEndedAllowed(listType, 'openEnded');
        if (input.period) {
          throw new DomainError({
            error: ListEntryErrors.PERIOD_INVALID,
            detail:
              'an open-ended entry runs from the decision date until the obligation is performed; give no period',
            field: 'period',
          });
        }
      }
      if (input.period) {
        const from = new Date(input.period.from);
        const to = new Date(input.period.to);
        if (to <= from) {
          throw new DomainError({
            error: ListEntryErrors.PERIOD_INVALID,
            detail: 'period.to must be after period.from',
            field: 'period.to',
          });
        }
        assertPeriodFitsSeverity(listType.severity, periodDays(from, to), 'period.to');
        assertPeriodStartHasReason(input.decision.date, from, input.period.reason, 'period.reason');
      }
      const id = randomUUID();
      const basis = input.basisCommitmentId
        ? await checkBasisCommitment(manager, input.basisCommitmentId, [
            subjectId.value,
            ...subjectId.legacyIds,
            ...legacyIds,
          ])
        : null;
      await this.subjects.upsert(
        manager,
        { kind: input.subject.kind, identifier: subjectId, name: input.subject.name, legacyIds },
        id,
      );
      const entry = manager.create(ListEntry, {
        id,
        listType: listType.code,
        ownerDept: listType.ownerDept,
        subjectKind: input.subject.kind,
        subjectId: subjectId.value,
        subjectName: input.subject.name,
        subjectLegacyIds: [...new Set([...subjectId.legacyIds, ...legacyIds])],
        relatedPersons,
        basisCommitmentId: basis?.id ?? null,
        decisionDocumentNo: input.decision.documentNo,
        decisionDate: input.decision.date,
        decisionFacts: input.decision.facts,
        decisionAmount: input.decision.amount ?? null,
        decisionViolationKind: input.decision.violationKind ?? null,
        periodFrom: input.period ? new Date(input.period.from) : null,
        periodTo: input.period ? new Date(input.period.to) : null,
        openEnded: input.openEnded ?? false,
        periodReason: input.period?.reason?.trim() || null,
        extensions: 0,
        status: 'draft',
        noticedAt: null,
        noticeChannel: null,
        noticeNote: null,
        noticeReasons: null,
        noticeLegalBasis: null,
        noticeRights: null,
        objectionOpen: false,
        statementDeadline: null,
        publishedAt: null,
        endedAt: null,
        endReason: null,
        endNote: null,
        createdBy: principal.sub,
      });
      const saved = await manager.save(entry);
      if (basis) await linkBasisCommitment(manager, basis, saved.id);
      return toListEntryView(saved);
    });
  }
}
