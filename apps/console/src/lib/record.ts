import { ApiError } from '../api/client';
import { formatDate, formatTime } from './time';

/** One entry of GET /v1/me/record (and GET /v1/subjects/{identifier}/record): what the subject sees of it. */
export interface RecordEntry {
  id: string;
  relation: 'subject' | 'legal_representative' | 'principal' | string;
  listType: { code: string; name: string | null; colour: 'red' | 'black' | null };
  ownerDept: string;
  subject: { kind: string; id: string; name: string };
  decision: { documentNo: string; date: string };
  period: { from: string; to: string } | null;
  status: string;
  objectionOpen: boolean;
  notice: {
    noticedAt: string;
    reasons: string | null;
    legalBasis: string | null;
    rights: string | null;
  } | null;
  statementDeadline: string | null;
  earliestRepairDate: string | null;
  repairConditions: { code: string; text: string }[];
  endReason: string | null;
  endedAt: string | null;
  statements: {
    id: string;
    receiptNo: string;
    receivedAt: string;
    status: string;
    reply: string | null;
    remedy: string | null;
  }[];
  objections: {
    id: string;
    receiptNo: string;
    openedAt: string;
    status: string;
    resolutionNote: string | null;
    resolvedAt: string | null;
  }[];
  next: {
    statement: { allowed: boolean; until: string | null };
    objection: { allowed: boolean };
    repair: { allowed: boolean; from: string | null };
  };
}

export interface RecordMeasure {
  entryId: string;
  assignmentId: string;
  dept: string;
  measureCode: string;
  text: string;
  mode: string;
  legalBasis: string;
  as: string;
  until: string;
  suspended: boolean;
}

export interface SubjectRecord {
  identifier: string;
  entries: RecordEntry[];
  measures: RecordMeasure[];
}

export type StepKind = 'statement' | 'objection' | 'repair';

/** Something the subject may do (or may do later) on an entry, in words, with its date. */
export interface NextStep {
  kind: StepKind;
  entryId: string;
  /** 陈述申辩 / 提出异议 / 申请信用修复 */
  label: string;
  /** may it be done now */
  allowed: boolean;
  /** why, or until / from when (Beijing dates) */
  detail: string;
  /** the date that matters: the statement deadline, or the earliest repair day */
  date: string | null;
}

export const STEP_LABELS: Record<StepKind, string> = {
  statement: '陈述申辩',
  objection: '提出异议',
  repair: '申请信用修复',
};

/**
 * What the subject may do next on one entry, as the record says (`next`), in words: a statement while the
 * statement period runs (until its deadline), an objection on a published entry without one open, a repair
 * from the earliest repair date. Steps that no longer apply to the entry's status are left out; a repair
 * that is not yet possible is kept, with the day it becomes possible.
 */
export function nextStepsOf(entry: RecordEntry, now: Date = new Date()): NextStep[] {
  const steps: NextStep[] = [];
  const { statement, objection, repair } = entry.next;
  if (entry.status === 'noticed') {
    steps.push({
      kind: 'statement',
      entryId: entry.id,
      label: STEP_LABELS.statement,
      allowed: statement.allowed,
      date: statement.until,
      detail: statement.allowed
        ? statement.until
          ? `可于 ${formatTime(statement.until)} 前提出`
          : '告知后、公示前均可提出'
        : '陈述申辩期已届满',
    });
  }
  if (entry.status === 'published') {
    steps.push({
      kind: 'objection',
      entryId: entry.id,
      label: STEP_LABELS.objection,
      allowed: objection.allowed,
      date: null,
      detail: objection.allowed ? '认为信息有误的，可提出异议' : '已有异议正在处理',
    });
    if (repair.from) {
      const ready = repair.allowed || new Date(repair.from).getTime() <= now.getTime();
      steps.push({
        kind: 'repair',
        entryId: entry.id,
        label: STEP_LABELS.repair,
        allowed: repair.allowed,
        date: repair.from,
        detail: repair.allowed
          ? `自 ${formatDate(repair.from)} 起可申请`
          : ready
            ? '暂不可申请（已有修复申请在办）'
            : `最早可于 ${formatDate(repair.from)} 申请（未满最短公示期）`,
      });
    } else {
      steps.push({
        kind: 'repair',
        entryId: entry.id,
        label: STEP_LABELS.repair,
        allowed: false,
        date: null,
        detail: '该名单类型不适用信用修复',
      });
    }
  }
  return steps;
}

/** The steps of every entry, those possible now first, then by their date. */
export function allNextSteps(record: SubjectRecord, now: Date = new Date()): NextStep[] {
  return record.entries
    .flatMap((e) => nextStepsOf(e, now))
    .sort(
      (a, b) =>
        Number(b.allowed) - Number(a.allowed) ||
        (a.date ?? '9999').localeCompare(b.date ?? '9999') ||
        a.kind.localeCompare(b.kind),
    );
}

export const RELATION_LABELS: Record<string, string> = {
  subject: '本主体',
  legal_representative: '法定代表人',
  principal: '主要负责人',
};

export const ANSWER_LABELS: Record<string, string> = {
  received: '已受理，待答复',
  accepted: '已采纳',
  not_accepted: '未采纳',
  open: '处理中',
  upheld: '维持原认定',
  corrected: '已更正',
  withdrawn: '已撤回',
  submitted: '已提交，待受理',
  material_requested: '需补正材料',
  approved: '准予修复',
  rejected: '不予修复',
};

export const END_REASON_LABELS: Record<string, string> = {
  expired: '期满移出',
  repaired: '信用修复',
  revoked: '撤销',
  corrected: '更正',
};

/** A problem's own extension member (problem details carry them beside `code`), if it is a string. */
export function problemMember(error: unknown, name: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const value = (error.problem as unknown as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** For a repair refused as too early (422 REPAIR.TOO_EARLY): the earliest day, from the problem details. */
export function tooEarlyDay(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.problem.code !== 'REPAIR.TOO_EARLY') return undefined;
  const day = problemMember(error, 'earliestRepairDay');
  if (day) return day;
  const at = problemMember(error, 'earliestRepairDate');
  return at ? formatDate(at) : undefined;
}
