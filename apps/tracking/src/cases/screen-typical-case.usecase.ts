import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';
import { caseNotFound, mayReadCase, screens } from './typical-case.access';
import { CaseAction, transitionCase } from './typical-case.state-machine';
import { TypicalCaseRow, TypicalCaseStore } from './typical-case.store';
import { CaseErrors } from './case.errors';

/** 典型案例: the credit office screens, accepts or rejects, publishes and withdraws a nominated case. */
@Injectable()
export class ScreenTypicalCaseUseCase {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  /** One step of the credit office's screening, under the row's lock; what the step records comes along. */
  async execute(
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
}
