import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { forbidden, unprocessable } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { CreateListEntryDto } from './list-entry.dto';
import { ListEntry } from './list-entry.entity';
import { toListEntryView } from './list-entry.view';

/** An initiator of the list type's owning department records a decision as a draft entry. */
@Injectable()
export class CreateListEntryUseCase {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  async execute(principal: Principal, input: CreateListEntryDto) {
    return this.db.transaction(async (manager) => {
      const listType = await manager.findOneBy(ListType, { code: input.listType });
      if (!listType) {
        throw unprocessable('LIST_TYPE.NOT_FOUND', `list type ${input.listType} does not exist`, 'listType');
      }
      if (listType.ownerDept !== principal.dept) {
        throw forbidden(
          'LIST_ENTRY.NOT_OWNER',
          `list type ${listType.code} is owned by ${listType.ownerDept}; ${principal.dept} may not list on it`,
        );
      }
      if (!listType.subjectKinds.includes(input.subject.kind)) {
        throw unprocessable(
          'LIST_ENTRY.SUBJECT_KIND_NOT_ALLOWED',
          `list type ${listType.code} does not take subjects of kind ${input.subject.kind}`,
          'subject.kind',
        );
      }
      if (input.period && Date.parse(input.period.to) <= Date.parse(input.period.from)) {
        throw unprocessable('LIST_ENTRY.PERIOD_INVALID', 'period.to must be after period.from', 'period.to');
      }
      const entry = manager.create(ListEntry, {
        id: randomUUID(),
        listType: listType.code,
        ownerDept: listType.ownerDept,
        subjectKind: input.subject.kind,
        subjectId: input.subject.id,
        subjectName: input.subject.name,
        relatedPersons: input.relatedPersons ?? [],
        decisionDocumentNo: input.decision.documentNo,
        decisionDate: input.decision.date,
        decisionFacts: input.decision.facts,
        periodFrom: input.period ? new Date(input.period.from) : null,
        periodTo: input.period ? new Date(input.period.to) : null,
        status: 'draft',
        noticedAt: null,
        statementDeadline: null,
        publishedAt: null,
        endedAt: null,
        endReason: null,
        endNote: null,
        createdBy: principal.sub,
      });
      return toListEntryView(await manager.save(entry));
    });
  }
}
