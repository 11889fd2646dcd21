/** What the repair form holds: the statement, the commitment, and an answer per condition of the checklist. */
export interface RepairFormValues {
  statement?: string;
  commitment?: string;
  conditions?: Record<string, { met?: boolean; evidence?: string } | undefined>;
}

export interface RepairFormProblem {
  /** the form field: `statement`, `commitment`, `conditions.<code>.met`, `conditions.<code>.evidence` */
  field: string;
  message: string;
}

export interface RepairBody {
  statement: string;
  commitment?: { text: string };
  conditions: { code: string; met: boolean; evidence?: string }[];
  onBehalfOf?: string;
}

const STATEMENT_MAX = 5000;
const COMMITMENT_MAX = 10_000;
const EVIDENCE_MAX = 2000;

/**
 * Checks a repair application before it is sent, as the registry will (decision 0025): a statement; the
 * commitment (信用承诺书) when the list type requires one; each condition of the checklist met, with
 * evidence. Returns the problems by field (empty: the form may be sent).
 */
export function validateRepairForm(
  values: RepairFormValues,
  checklist: readonly { code: string; text: string }[],
  commitmentRequired: boolean,
): RepairFormProblem[] {
  const problems: RepairFormProblem[] = [];
  const statement = values.statement?.trim() ?? '';
  if (!statement) problems.push({ field: 'statement', message: '请填写修复申请说明' });
  else if (statement.length > STATEMENT_MAX)
    problems.push({ field: 'statement', message: `申请说明不超过 ${STATEMENT_MAX} 字` });
  const commitment = values.commitment?.trim() ?? '';
  if (commitmentRequired && !commitment)
    problems.push({ field: 'commitment', message: '该名单类型须提交信用承诺书' });
  else if (commitment.length > COMMITMENT_MAX)
    problems.push({ field: 'commitment', message: `承诺书不超过 ${COMMITMENT_MAX} 字` });
  for (const condition of checklist) {
    const answer = values.conditions?.[condition.code];
    if (!answer?.met) {
      problems.push({
        field: `conditions.${condition.code}.met`,
        message: `须满足修复条件：${condition.text}`,
      });
      continue;
    }
    const evidence = answer.evidence?.trim() ?? '';
    if (!evidence)
      problems.push({
        field: `conditions.${condition.code}.evidence`,
        message: `请提供证明材料：${condition.text}`,
      });
    else if (evidence.length > EVIDENCE_MAX)
      problems.push({
        field: `conditions.${condition.code}.evidence`,
        message: `证明材料说明不超过 ${EVIDENCE_MAX} 字`,
      });
  }
  return problems;
}

/** The body of POST /v1/list-entries/{id}/repair-applications from a valid form (the counter adds whom it acts for). */
export function repairBody(
  values: RepairFormValues,
  checklist: readonly { code: string }[],
  onBehalfOf?: string,
): RepairBody {
  const commitment = values.commitment?.trim();
  return {
    statement: values.statement!.trim(),
    ...(commitment ? { commitment: { text: commitment } } : {}),
    conditions: checklist.map((c) => {
      const evidence = values.conditions?.[c.code]?.evidence?.trim();
      return {
        code: c.code,
        met: values.conditions?.[c.code]?.met === true,
        ...(evidence ? { evidence } : {}),
      };
    }),
    ...(onBehalfOf ? { onBehalfOf } : {}),
  };
}
