import { DomainError } from '@credit/platform';
import type { RepairCondition } from '../list-types/repair-terms';
import type { RepairConditionAnswer } from './repair-application.entity';
import { RepairErrors } from './repair.errors';

export interface ConditionInput {
  code: string;
  met: boolean;
  evidence?: string;
}

export interface ChecklistProblem {
  field: string;
  code: (typeof RepairErrors)[
    'CONDITION_MISSING' | 'CONDITION_NOT_MET' | 'EVIDENCE_MISSING' | 'CONDITION_UNKNOWN']['code'];
  message: string;
}

/**
 * Matches an application's answers against the list type's checklist: every condition must be answered,
 * met, and backed by evidence; a code the checklist does not have is an error too. Returns the answers
 * in the checklist's order with its wording, or throws one 422 naming every problem.
 */
export function answerChecklist(
  checklist: readonly RepairCondition[],
  answers: readonly ConditionInput[],
): RepairConditionAnswer[] {
  const byCode = new Map(answers.map((a) => [a.code, a]));
  const known = new Set(checklist.map((c) => c.code));
  const problems: ChecklistProblem[] = [];
  for (const condition of checklist) {
    const answer = byCode.get(condition.code);
    const field = `conditions.${condition.code}`;
    if (!answer) {
      problems.push({
        field,
        code: RepairErrors.CONDITION_MISSING.code,
        message: `not answered: ${condition.text}`,
      });
    } else if (!answer.met) {
      problems.push({
        field,
        code: RepairErrors.CONDITION_NOT_MET.code,
        message: `not met: ${condition.text}`,
      });
    } else if (!answer.evidence?.trim()) {
      problems.push({
        field: `${field}.evidence`,
        code: RepairErrors.EVIDENCE_MISSING.code,
        message: `no evidence for: ${condition.text}`,
      });
    }
  }
  for (const answer of answers) {
    if (!known.has(answer.code)) {
      problems.push({
        field: `conditions.${answer.code}`,
        code: RepairErrors.CONDITION_UNKNOWN.code,
        message: `the list type's checklist has no condition ${answer.code}`,
      });
    }
  }
  if (problems.length > 0) {
    throw new DomainError({
      error: RepairErrors.CONDITIONS_NOT_MET,
      detail: `the repair conditions are not all met with evidence (修复条件未全部满足): ${problems.map((p) => p.field).join(', ')}`,
      extra: { errors: problems, checklist },
    });
  }
  return checklist.map((c) => ({
    code: c.code,
    text: c.text,
    met: true,
    evidence: byCode.get(c.code)!.evidence!.trim(),
  }));
}
