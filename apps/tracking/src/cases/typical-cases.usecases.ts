import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Principal, supervises } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';
import { NominateCaseDto } from './typical-case.dto';
import { CaseAction, transitionCase } from './typical-case.state-machine';
import { CaseEntry, CaseFeedback, TypicalCaseRow, TypicalCaseStore } from './typical-case.store';
import { CaseErrors } from './case.errors';

const KIND_OF_COLOUR: Record<string, string> = { black: 'punishment', red: 'incentive' };

/** The credit office (supervisor, admin) screens; a supervisor with a region claim only its region's cases. */
export function screens(principal: Principal, region: string): boolean {
  return principal.roles.includes('admin') || supervises(principal, region);
}

/** The nominating department reads its case; the credit office every case it screens. */
export function mayReadCase(principal: Principal, c: Pick<TypicalCaseRow, 'nominatingDept' | 'region'>) {
  return principal.dept === c.nominatingDept || screens(principal, c.region);
}

/** 典型案例: nomination from the trail and the follow-up, and the credit office's screening. */
@Injectable()
export class TypicalCases {
  private readonly store: TypicalCaseStore;

  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {
    this.store = new TypicalCaseStore(db);
  }

  /**
   * A department that initiated the entry (initiator of its owner) or implements a measure on it
   * (implementer holding an assignment) nominates it, with the enforcement reports that make it typical.
   * Each entry must be published and of the nominating department's region; each assignment one of the
   * entries', with enforcement feedback.
   */
  async nominate(principal: Principal, body: NominateCaseDto): Promise<TypicalCaseRow> {
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

  async read(principal: Principal, id: string): Promise<TypicalCaseRow> {
    const row = await this.store.load(id);
    if (!row || !mayReadCase(principal, row)) throw caseNotFound(id);
    return row;
  }

  /** One step of the credit office's screening, under the row's lock; what the step records comes along. */
  async transition(
    principal: Principal,
    id: string,
    action: CaseAction,
    text?: string,
  ): Promise<TypicalCaseRow> {
    return this.db.transaction(async (manager) => {
      const store = new TypicalCaseStore(manager);
      const row = await store.load(id, true);
      if (!row || !mayReadCase(principal, row)) throw caseNotFound(id);
      if (!screens(principal, row.region))
        throw new DomainError({
          error: CaseErrors.NOT_SCREENER,
          detail: 'only the credit office screens and publishes cases (信用办筛选审定)',
        });
      const status = transitionCase(row.status, action);
      const now = new Date();
      const changes: Parameters<TypicalCaseStore['update']>[1] = { status };
      if (action === 'screen') Object.assign(changes, { screeningBy: principal.sub, screeningAt: now });
      if (action === 'accept')
        Object.assign(changes, { decidedBy: principal.sub, decidedAt: now, decisionNote: text ?? null });
      if (action === 'reject')
        Object.assign(changes, { decidedBy: principal.sub, decidedAt: now, rejectionReason: text });
      if (action === 'publish') {
        // 公示 shows class-A information only (API.md "Public disclosure"); a case is no way around it
        const hidden = row.entries.findIndex((e) => e.listType.infoClass !== 'A');
        if (hidden >= 0)
          throw new DomainError({
            error: CaseErrors.NOT_PUBLIC_INFORMATION,
            detail: `list entry ${row.entries[hidden].entryId} is not class-A (public) information: the case cannot be published`,
            field: `entryIds[${hidden}]`,
          });
        Object.assign(changes, { publishedAt: now, withdrawnAt: null, withdrawalReason: null });
      }
      if (action === 'withdraw') Object.assign(changes, { withdrawnAt: now, withdrawalReason: text });
      await store.update(id, changes);
      return (await store.load(id))!;
    });
  }

  private async implements(principal: Principal, entryId: string): Promise<boolean> {
    return (await this.store.implementersOf(entryId)).has(principal.dept);
  }
}

export function caseNotFound(id: string) {
  return new DomainError({ error: CaseErrors.NOT_FOUND, detail: `no typical case ${id}` });
}
