import { defineErrors, SharedListEntryErrors } from '@credit/platform';

/** LIST_ENTRY.* codes (see docs/errors.md). */
export const ListEntryErrors = defineErrors({
  ...SharedListEntryErrors,
  BASIS_COMMITMENT_NOT_FOUND: {
    code: 'LIST_ENTRY.BASIS_COMMITMENT_NOT_FOUND',
    status: 422,
    message: 'commitment … does not exist',
  },
  BASIS_COMMITMENT_NOT_BROKEN: {
    code: 'LIST_ENTRY.BASIS_COMMITMENT_NOT_BROKEN',
    status: 422,
    message: 'commitment … is …: only a broken commitment can be the basis of an entry',
  },
  BASIS_COMMITMENT_OTHER_SUBJECT: {
    code: 'LIST_ENTRY.BASIS_COMMITMENT_OTHER_SUBJECT',
    status: 422,
    message: 'the commitment was made by another subject than the entry lists',
  },
  OVERLAPPING: {
    code: 'LIST_ENTRY.OVERLAPPING',
    status: 409,
    // also the detail when the exclusion constraint list_entries_no_overlap catches two publishes racing
    message: 'the subject is already on this list for an overlapping period (同一主体同类名单期间重叠)',
  },
  SUBJECT_KIND_NOT_ALLOWED: {
    code: 'LIST_ENTRY.SUBJECT_KIND_NOT_ALLOWED',
    status: 422,
    message: 'list type … does not take subjects of kind …',
  },
  PERIOD_INVALID: {
    code: 'LIST_ENTRY.PERIOD_INVALID',
    status: 422,
    message:
      'an open-ended entry runs from the decision date until the obligation is performed; give no period',
  },
  TRANSITION_NOT_ALLOWED: {
    code: 'LIST_ENTRY.TRANSITION_NOT_ALLOWED',
    status: 409,
    message:
      "the entry's status does not allow this (e.g. only an entry in force can be extended) (当前状态不允许此操作)",
  },
  NOTICE_IN_FUTURE: {
    code: 'LIST_ENTRY.NOTICE_IN_FUTURE',
    status: 422,
    message: 'noticedAt cannot be in the future',
  },
  NOTICE_BEFORE_CREATION: {
    code: 'LIST_ENTRY.NOTICE_BEFORE_CREATION',
    status: 422,
    message: 'noticedAt cannot be before the entry was created (…) (告知日期早于条目创建)',
  },
  NOTICE_BACKDATED_TOO_FAR: {
    code: 'LIST_ENTRY.NOTICE_BACKDATED_TOO_FAR',
    status: 422,
    message: 'noticedAt may be at most … days before now (告知日期倒签超过上限)',
  },
  STATEMENT_UNANSWERED: {
    code: 'LIST_ENTRY.STATEMENT_UNANSWERED',
    status: 409,
    message:
      '… statement(s) of the subject are not answered yet; answer them before publishing (陈述申辩未答复)',
  },
  STATEMENT_PERIOD_OPEN: {
    code: 'LIST_ENTRY.STATEMENT_PERIOD_OPEN',
    status: 409,
    message: 'the subject may make a statement until …; publish after it (陈述申辩期未满)',
  },
  SUBJECT_BLACK_LISTED: {
    code: 'LIST_ENTRY.SUBJECT_BLACK_LISTED',
    status: 409,
    message:
      'the subject is in force on a black list (entry …); … does not take it (黑名单主体不得列入红名单)',
  },
  PERIOD_START_NEEDS_REASON: {
    code: 'LIST_ENTRY.PERIOD_START_NEEDS_REASON',
    status: 422,
    message:
      'the period counts from the decision date …; a period from … needs a reason (公示期自认定决定之日起算，调整须说明理由)',
  },
  PERIOD_OVER: {
    code: 'LIST_ENTRY.PERIOD_OVER',
    status: 422,
    message: 'the period ended …, before publication; give a later period with its reason (公示期已届满)',
  },
  OPEN_ENDED_NOT_ALLOWED: {
    code: 'LIST_ENTRY.OPEN_ENDED_NOT_ALLOWED',
    status: 422,
    message:
      'list type … has fixed periods only; an open-ended entry is not allowed (该名单不适用无固定期限)',
  },
  NOT_EXTENDABLE: {
    code: 'LIST_ENTRY.NOT_EXTENDABLE',
    status: 422,
    message: 'LIST_ENTRY.NOT_EXTENDABLE',
  },
  EXTENSION_LIMIT_REACHED: {
    code: 'LIST_ENTRY.EXTENSION_LIMIT_REACHED',
    status: 422,
    message: 'list type … allows … extension(s); this entry had … (延长次数已满)',
  },
  EXTENSION_OUT_OF_RANGE: {
    code: 'LIST_ENTRY.EXTENSION_OUT_OF_RANGE',
    status: 422,
    message: 'list type … extends by …–… days; … is outside (延长期限超出范围)',
  },
  SUBJECT_EXCLUDED: {
    code: 'LIST_ENTRY.SUBJECT_EXCLUDED',
    status: 422,
    message: 'list type … excludes minors; the subject was under 18 on … (不得将未成年人纳入该名单)',
  },
  PERIOD_OUTSIDE_SEVERITY_BAND: {
    code: 'LIST_ENTRY.PERIOD_OUTSIDE_SEVERITY_BAND',
    status: 422,
    message: 'a … listing is published for …–… days; … days is outside it (公示期限不符合严重程度)',
  },
});
