import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';
import { NominateCaseDto } from './typical-case.dto';
import { CaseEntry, CaseFeedback, TypicalCaseRow, TypicalCaseStore } from './typical-case.store';
import { CaseErrors } from './case.errors';

const KIND_OF_COLOUR: Record<string, string> = { black: 'punishment', red: 'incentive' };

/** 典型案例: a department nominates entries it is involved in, from the trail and the follow-up. */
@Injectable()
export class NominateTypicalCaseUseCase {
  private readonly store: TypicalCaseStore;

  constructor(@Inject(TRACKING_DB) db: DataSource) {
    this.store = new TypicalCaseStore(db);
  }

  /**
   * A department that initiated the entry (initiator of its owner) or implements a measure on it
   * (implementer holding an assignment) nominates it, with the enforcement reports that make it typical.
   * Each entry must be published and of the nominating department's region; each assignment one of the
   * entries', with enforcement feedback.
   */
  async execute(principal: Principal, body: NominateCaseDto): Promise<TypicalCaseRow> {
    const entryIds = [...new Set(body.entryIds.map((id) => id.toLowerCase()))];
    const assignmentIds = [...new Set(body.assignmentIds.map((id) => id.toLowerCase()))];
    const region = await this.store.regionOf(principal.dept);
    if (region === undefined)
      throw new DomainError({
        error: CaseErrors.DEPARTMENT_REGION_UNKNOWN,
        detail: `department ${principal.dept} has no registered region (部门未登记行政区划)`,
      });
    const facts = await this.store.entryFacts(entryIds);
    const entries: CaseEntry[] = [];
    for (const id of entryIds) {
      const field = `entryIds[${body.entryIds.findIndex((e) => e.toLowerCase() === id)}]`;
      const entry = facts.get(id);
      if (!entry)
        throw new DomainError({
          error: CaseErrors.ENTRY_UNKNOWN,
          detail: `no published list entry ${id} (名单条目不存在或未公示)`,
          field: field,
        });
      if ((await this.store.regionOf(entry.ownerDept)) !== region)
        throw new DomainError({
          error: CaseErrors.ENTRY_OUTSIDE_REGION,
          detail: `list entry ${id} belongs to another region than ${region} (非本地区名单条目)`,
          field: field,
        });
      const involved = principal.roles.includes('initiator') && entry.ownerDept === principal.dept;
      if (!involved && !(principal.roles.includes('implementer') && (await this.implements(principal, id))))
        throw new DomainError({
          error: CaseErrors.NOT_INVOLVED,
          detail: `department ${principal.dept} neither initiated list entry ${id} nor implements a measure on it`,
          field: field,
        });
      if (KIND_OF_COLOUR[entry.listType.colour] !== body.kind)
        throw new DomainError({
          error: CaseErrors.KIND_MISMATCH,
          detail: `a ${body.kind} case cannot rest on a ${entry.listType.colour} list entry (${id})`,
          field: 'kind',
        });
      entries.push(entry);
    }
    const assignments = await this.store.feedbackFacts(assignmentIds);
    const feedback: CaseFeedback[] = [];
    for (const id of assignmentIds) {
      const field = `assignmentIds[${body.assignmentIds.findIndex((a) => a.toLowerCase() === id)}]`;
      const found = assignments.get(id);
      if (!found || !entryIds.includes(found.entryId))
        throw new DomainError({
          error: CaseErrors.ASSIGNMENT_UNKNOWN,
          detail: `assignment ${id} is not an assignment of the case's entries`,
          field: field,
        });
      if (!found.feedback)
        throw new DomainError({
          error: CaseErrors.NO_FEEDBACK,
          detail: `assignment ${id} has no enforcement feedback yet (尚无实施反馈)`,
          field: field,
        });
      feedback.push(found.feedback);
    }
    const row: TypicalCaseRow = {
      id: randomUUID(),
      title: body.title,
      summary: body.summary,
      kind: body.kind,
      status: 'submitted',
      nominatingDept: principal.dept,
      nominatedBy: principal.sub,
      region,
      entryIds,
      assignmentIds,
      entries,
      feedback,
      nominatedAt: new Date(),
      screeningBy: null,
      screeningAt: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      rejectionReason: null,
      publishedAt: null,
      withdrawnAt: null,
      withdrawalReason: null,
    };
    await this.store.insert(row);
    return row;
  }

  private async implements(principal: Principal, entryId: string): Promise<boolean> {
    return (await this.store.implementersOf(entryId)).has(principal.dept);
  }
}
