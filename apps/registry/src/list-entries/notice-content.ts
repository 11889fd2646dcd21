import { DomainError } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { repairTermsOf } from '../list-types/repair-terms';
import { ListEntryErrors } from './list-entry.errors';

const DAY_MS = 86_400_000;

/** The Beijing date of an instant, as a person reads it on a notice (2026-12-10). */
function beijingDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * 告知书: what the subject is told of its rights — to state its case (陈述申辩) until the deadline, to
 * object once the entry is in force, and when and how it may apply for credit repair.
 */
export function noticeRights(listType: ListType, statementDeadline: Date): string {
  const repair = repairTermsOf(listType);
  const repairLine = repair.repairable
    ? `名单生效满${repair.minRepairDays}日后，可按规定申请信用修复（Credit repair may be applied for ${repair.minRepairDays} days after publication）。`
    : '本名单不适用信用修复（This list cannot be repaired early）。';
  return [
    `您有权在${beijingDate(statementDeadline)}（北京时间 ${statementDeadline.toISOString()}）前进行陈述、申辩，逾期视为放弃（You may state your case until the deadline）。`,
    '名单生效后，认为信息有误的，可以提出异议（You may object once the entry is in force）。',
    repairLine,
  ].join('');
}

/**
 * A notice is dated when the subject was told: not in the future, not before the entry was created,
 * and at most `maxBackdateDays` before now (so a late notice cannot shorten the statement period).
 */
export function assertNoticeDate(noticedAt: Date, createdAt: Date, now: Date, maxBackdateDays: number) {
  if (noticedAt.getTime() > now.getTime()) {
    throw new DomainError({
      error: ListEntryErrors.NOTICE_IN_FUTURE,
      detail: 'noticedAt cannot be in the future',
      field: 'noticedAt',
    });
  }
  if (noticedAt.getTime() < createdAt.getTime()) {
    throw new DomainError({
      error: ListEntryErrors.NOTICE_BEFORE_CREATION,
      detail: `noticedAt cannot be before the entry was created (${createdAt.toISOString()}) (告知日期早于条目创建)`,
      field: 'noticedAt',
    });
  }
  if (now.getTime() - noticedAt.getTime() > maxBackdateDays * DAY_MS) {
    throw new DomainError({
      error: ListEntryErrors.NOTICE_BACKDATED_TOO_FAR,
      detail: `noticedAt may be at most ${maxBackdateDays} days before now (告知日期倒签超过上限)`,
      field: 'noticedAt',
    });
  }
}
