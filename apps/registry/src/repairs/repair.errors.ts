import { defineErrors } from '@credit/platform';

/** REPAIR.* codes (see docs/errors.md). */
export const RepairErrors = defineErrors({
  CONDITIONS_NOT_MET: {
    code: 'REPAIR.CONDITIONS_NOT_MET',
    status: 422,
    message: 'the repair conditions are not all met with evidence (修复条件未全部满足): …',
  },
  NOT_FOUND: {
    code: 'REPAIR.NOT_FOUND',
    status: 404,
    message: 'repair application … does not exist',
  },
  NOT_WITHDRAWABLE: {
    code: 'REPAIR.NOT_WITHDRAWABLE',
    status: 409,
    message: 'a repair application that is … can no longer be withdrawn (修复申请已办结，不能撤回)',
  },
  ALREADY_DECIDED: {
    code: 'REPAIR.ALREADY_DECIDED',
    status: 409,
    message: 'the repair application is already … (修复申请已决定)',
  },
  CLOSED: {
    code: 'REPAIR.CLOSED',
    status: 409,
    message: 'the repair application is …: nothing is left to do on it (修复申请已终结)',
  },
  TRANSITION_NOT_ALLOWED: {
    code: 'REPAIR.TRANSITION_NOT_ALLOWED',
    status: 409,
    message: 'cannot … a repair application that is … (修复申请当前状态不允许此操作)',
  },
  NOT_REPAIRABLE: {
    code: 'REPAIR.NOT_REPAIRABLE',
    status: 409,
    message: 'entries of … cannot be repaired early; they end with their period (该名单不适用信用修复)',
  },
  ENTRY_ENDED: {
    code: 'REPAIR.ENTRY_ENDED',
    status: 409,
    message: 'the entry already ended (…) (名单已移出)',
  },
  ENTRY_NOT_IN_FORCE: {
    code: 'REPAIR.ENTRY_NOT_IN_FORCE',
    status: 409,
    message: 'only an entry in force can be repaired; this one is …',
  },
  TOO_EARLY: {
    code: 'REPAIR.TOO_EARLY',
    status: 422,
    message: 'a repair may be applied for from … (… days after publication) (未满最短公示期)',
  },
  ALREADY_PENDING: {
    code: 'REPAIR.ALREADY_PENDING',
    status: 409,
    message: 'a repair application for this entry is already open',
  },
  COMMITMENT_REQUIRED: {
    code: 'REPAIR.COMMITMENT_REQUIRED',
    status: 422,
    message: '… requires a signed credit commitment (须提交信用承诺书)',
  },
  // field codes in the `errors` of REPAIR.CONDITIONS_NOT_MET, one per condition
  CONDITION_MISSING: {
    code: 'REPAIR.CONDITION_MISSING',
    status: 422,
    message: 'a condition of the checklist is not answered (in the errors of REPAIR.CONDITIONS_NOT_MET)',
  },
  CONDITION_NOT_MET: {
    code: 'REPAIR.CONDITION_NOT_MET',
    status: 422,
    message:
      'a condition of the checklist is answered as not met (in the errors of REPAIR.CONDITIONS_NOT_MET)',
  },
  EVIDENCE_MISSING: {
    code: 'REPAIR.EVIDENCE_MISSING',
    status: 422,
    message: 'a met condition has no evidence (in the errors of REPAIR.CONDITIONS_NOT_MET)',
  },
  CONDITION_UNKNOWN: {
    code: 'REPAIR.CONDITION_UNKNOWN',
    status: 422,
    message:
      "an answer names a condition the list type's checklist does not have (in the errors of REPAIR.CONDITIONS_NOT_MET)",
  },
});
