/**
 * 典型案例 in the console (decision 0036): the screening steps a case in a status allows — the service's own
 * transition table (apps/tracking/src/cases/typical-case.state-machine.ts), read here only to offer the
 * buttons that can succeed; the service still decides (409 CASE.ILLEGAL_TRANSITION).
 */
export type CaseStatus = 'submitted' | 'screening' | 'accepted' | 'rejected' | 'published' | 'withdrawn';
export type CaseAction = 'screen' | 'accept' | 'reject' | 'publish' | 'withdraw';

export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>> = {
  submitted: { screen: 'screening' },
  screening: { accept: 'accepted', reject: 'rejected' },
  accepted: { publish: 'published' },
  rejected: {},
  published: { withdraw: 'withdrawn' },
  withdrawn: { publish: 'published' },
};

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  submitted: '已推荐',
  screening: '筛选中',
  accepted: '已审定',
  rejected: '未采用',
  published: '已公示',
  withdrawn: '已撤回公示',
};

/** Each action's button, its route and whether it needs a reason (reject, withdraw) or asks first. */
export const CASE_ACTIONS: Record<
  CaseAction,
  { label: string; path: string; reason: boolean; confirm?: string }
> = {
  screen: { label: '开始筛选', path: 'screening', reason: false },
  accept: { label: '审定采用', path: 'accept', reason: false },
  reject: { label: '不予采用', path: 'reject', reason: true },
  publish: {
    label: '公示',
    path: 'publication',
    reason: false,
    confirm: '确认在信用网站公示该案例？自然人信息将按公示规则隐去部分内容。',
  },
  withdraw: { label: '撤回公示', path: 'withdrawal', reason: true },
};

/** The actions a case in this status allows, in the order of the process. */
export function actionsOf(status: CaseStatus): CaseAction[] {
  return (Object.keys(CASE_TRANSITIONS[status]) as CaseAction[]).sort(
    (a, b) => ORDER.indexOf(a) - ORDER.indexOf(b),
  );
}
const ORDER: CaseAction[] = ['screen', 'accept', 'reject', 'publish', 'withdraw'];

/** An assignment a case may rest on: an implementing department's measure on an entry. */
export interface CaseAssignment {
  id: string;
  entryId: string;
  status: string;
}

/**
 * The nomination's entries and assignments from the chosen assignments: each entry once, in the order
 * chosen; the entries named without a chosen assignment too (an initiator names the entry first). An
 * assignment without enforcement feedback is refused here as the service would (CASE.NO_FEEDBACK), naming
 * the field.
 */
export function nominationOf(
  entryIds: readonly string[],
  chosen: readonly CaseAssignment[],
): { entryIds: string[]; assignmentIds: string[]; problems: { field: string; message: string }[] } {
  const entries = [...new Set([...entryIds, ...chosen.map((a) => a.entryId)])];
  const problems: { field: string; message: string }[] = [];
  if (entries.length === 0) problems.push({ field: 'entryIds', message: '请选择至少一个已公示的名单条目' });
  if (chosen.length === 0)
    problems.push({ field: 'assignmentIds', message: '请选择至少一项已反馈实施情况的措施' });
  chosen.forEach((a, i) => {
    if (a.status !== 'enforced')
      problems.push({ field: `assignmentIds[${i}]`, message: '该措施尚未反馈实施情况（已实施）' });
  });
  return { entryIds: entries, assignmentIds: chosen.map((a) => a.id), problems };
}

/** The export's query: the period of the acceptance day, the kind and the department, as the route takes them. */
export function caseReportUrl(
  format: 'csv' | 'xlsx',
  filters: { from?: string; to?: string; kind?: string; dept?: string },
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  params.set('format', format);
  return `/v1/reports/cases?${params.toString()}`;
}
