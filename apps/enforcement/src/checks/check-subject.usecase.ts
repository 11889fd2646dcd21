import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { checkSeesEveryDepartment, Principal } from '@credit/auth';
import { CheckStage } from '@credit/contracts';
import { normalizeIdentifier } from '@credit/identifiers';
import { ActiveMeasures } from './active-measures';
import { ActiveMeasure, decide } from './check-decision';
import { CheckLog } from './check-log';

/** The reasons of an answer that found no binding measure (shared: never changed, only serialised). */
const NO_REASONS: never[] = [];

/** 嵌入式核查: "may this subject do this?" — the answer, with every reason, logged. */
@Injectable()
export class CheckSubjectUseCase {
  constructor(
    private readonly active: ActiveMeasures,
    private readonly log: CheckLog,
  ) {}

  /**
   * Answered at once (no promise) when the subject's measures are in memory — the complete index, nearly
   * every check; a promise when they must be read first. Same answer, same log.
   */
  execute(principal: Principal, subjectId: string, action: string, stage?: CheckStage, now = new Date()) {
    const id = normalizeIdentifier(subjectId);
    const measures = this.active.known(id);
    if (measures) return this.answer(principal, id, measures, action, stage, now);
    return this.active.forSubject(id).then((read) => this.answer(principal, id, read, action, stage, now));
  }

  private answer(
    principal: Principal,
    id: string,
    measures: ActiveMeasure[],
    action: string,
    stage: CheckStage | undefined,
    now: Date,
  ) {
    const own = checkSeesEveryDepartment(principal) ? undefined : principal.dept;
    const { decision, binding } = decide(measures, action, now, own);
    const checkId = randomUUID();
    const reasons =
      binding.length === 0
        ? NO_REASONS
        : binding.map((m) => ({
            entryId: m.entryId,
            listType: m.listType,
            measureCode: m.measureCode,
            dept: m.dept,
            legalBasis: m.legalBasis,
            mode: m.mode,
            measure: m.measureText,
            until: m.until.toISOString(),
            ...(m.targetRole ? { as: m.targetRole } : {}),
          }));
    this.log.record({
      id: checkId,
      dept: principal.dept,
      actor: principal.sub,
      subjectId: id,
      action,
      stage,
      decision,
      reasons,
      binding,
      at: now,
    });
    const checkedAt = now.toISOString();
    // two literal shapes rather than a spread: no intermediate object per check; the properties in the
    // order of the route's compiled serializer (required ones, then optional ones), so that the answer
    // given before Fastify (JSON.stringify, decision 0069) is the same bytes as the route's
    return stage
      ? { checkId, subject: { id }, action, decision, reasons, checkedAt, stage }
      : { checkId, subject: { id }, action, decision, reasons, checkedAt };
  }
}
