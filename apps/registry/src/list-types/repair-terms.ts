import { Severity } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ListTypeErrors } from './list-type.errors';

/**
 * 信用修复 terms of a list type. The minimum period before a repair may be applied for follows the
 * severity band unless the list type overrides it with a reason (国家发展改革委令第36号: 轻微 none,
 * 一般 3 months, 严重 1 year from publication).
 */
export const DEFAULT_MIN_REPAIR_DAYS: Readonly<Record<Severity, number>> = {
  minor: 0,
  general: 90,
  serious: 365,
};

/** Standard repair conditions, drawn from the usual exit conditions (退出条件). */
export const STANDARD_REPAIR_CONDITIONS: Readonly<Record<string, string>> = {
  obligations_performed: '已履行法定义务或判决、决定确定的义务',
  fine_paid: '已缴纳罚款、滞纳金',
  behaviour_corrected: '失信行为已纠正，消除不良影响',
  training_completed: '已参加信用修复培训',
  public_service: '已参加公益服务或慈善活动',
  report_submitted: '已提交信用报告',
};

export const DEFAULT_REPAIR_CONDITION_CODES = ['obligations_performed', 'behaviour_corrected'] as const;

export interface RepairCondition {
  code: string;
  text: string;
}

export interface RepairTermsSource {
  severity: Severity;
  repairable: boolean;
  minRepairDays: number | null;
  repairConditions: RepairCondition[];
  commitmentRequired: boolean;
  repairAcceptWorkingDays: number;
  repairDecideWorkingDays: number;
}

export interface RepairTerms {
  repairable: boolean;
  minRepairDays: number;
  conditions: RepairCondition[];
  commitmentRequired: boolean;
  acceptWorkingDays: number;
  decideWorkingDays: number;
}

export function repairTermsOf(listType: RepairTermsSource): RepairTerms {
  return {
    repairable: listType.repairable,
    minRepairDays: listType.minRepairDays ?? DEFAULT_MIN_REPAIR_DAYS[listType.severity],
    conditions:
      listType.repairConditions.length > 0
        ? listType.repairConditions
        : DEFAULT_REPAIR_CONDITION_CODES.map((code) => ({ code, text: STANDARD_REPAIR_CONDITIONS[code] })),
    commitmentRequired: listType.commitmentRequired,
    acceptWorkingDays: listType.repairAcceptWorkingDays,
    decideWorkingDays: listType.repairDecideWorkingDays,
  };
}

const DAY_MS = 86_400_000;

/**
 * The earliest day a repair may be applied for: the minimum period counted from the start of
 * publication (the entry's period start, else its publication); null when the type is not repairable
 * or the entry was never published.
 */
export function earliestRepairDate(
  terms: RepairTerms,
  entry: { periodFrom: Date | null; publishedAt: Date | null },
): Date | null {
  if (!terms.repairable) return null;
  const from = entry.periodFrom ?? entry.publishedAt;
  if (!from) return null;
  return new Date(from.getTime() + terms.minRepairDays * DAY_MS);
}

/** A list type that overrides the severity's minimum repair period must say why. */
export function assertRepairOverrideHasReason(
  severity: Severity,
  minRepairDays: number | undefined,
  reason: string | undefined,
): void {
  if (minRepairDays === undefined || minRepairDays === DEFAULT_MIN_REPAIR_DAYS[severity]) return;
  if (!reason || reason.trim() === '') {
    throw new DomainError({
      error: ListTypeErrors.REPAIR_OVERRIDE_NEEDS_REASON,
      detail: `a ${severity} list type waits ${DEFAULT_MIN_REPAIR_DAYS[severity]} days before repair; ${minRepairDays} days needs a reason (修复期限调整须说明理由)`,
      field: 'minRepairDaysReason',
    });
  }
}
