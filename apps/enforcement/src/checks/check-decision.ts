import { CheckDecision, EnforcementMode } from '@credit/contracts';

/** One measure binding the subject for the action, as the check reports it. */
export interface ActiveMeasure {
  assignmentId: string;
  entryId: string;
  /** the listed subject (the key of the entry's events), which a related person's check differs from */
  subjectId: string;
  dept: string;
  listType: string;
  listColour: string;
  measureCode: string;
  measureText: string;
  mode: EnforcementMode;
  actions: string[];
  legalBasis: string;
  from: Date;
  until: Date;
  targetRole: string | null;
}

/** block beats warn beats priority/reference beats allow; a reference alone informs but allows. */
const RANK: Record<EnforcementMode, number> = { block: 3, warn: 2, priority: 1, reference: 0 };
const DECISION_OF: Record<EnforcementMode, CheckDecision> = {
  block: 'block',
  warn: 'warn',
  priority: 'priority',
  reference: 'allow',
};

const NO_MEASURES: ActiveMeasure[] = [];

/**
 * The answer for one subject and action: the strongest mode among the measures in force now, and all
 * reasons. `dept`: only that department's measures count (a department never learns from a check what
 * another must do, decision 0020); undefined for a supervisor or admin, who see every measure.
 */
export function decide(measures: ActiveMeasure[], action: string, now: Date, dept?: string) {
  // nine checks in ten name a subject without measures
  if (measures.length === 0) return { decision: 'allow' as CheckDecision, binding: NO_MEASURES };
  const binding = measures
    .filter(
      (m) =>
        (dept === undefined || m.dept === dept) &&
        m.actions.includes(action) &&
        m.from <= now &&
        now < m.until,
    )
    .sort((a, b) => RANK[b.mode] - RANK[a.mode] || a.measureCode.localeCompare(b.measureCode));
  const decision: CheckDecision = binding.length === 0 ? 'allow' : DECISION_OF[binding[0].mode];
  return { decision, binding };
}
