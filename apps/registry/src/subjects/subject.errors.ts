import { defineErrors } from '@credit/platform';

/** SUBJECT.* codes (see docs/errors.md). */
export const SubjectErrors = defineErrors({
  NOT_A_PARTY: {
    code: 'SUBJECT.NOT_A_PARTY',
    status: 403,
    message: 'the caller is not a party to this entry (非本主体名单，无权操作)',
  },
  ON_BEHALF_OF_REQUIRED: {
    code: 'SUBJECT.ON_BEHALF_OF_REQUIRED',
    status: 422,
    message: 'the counter names the subject it acts for (代为办理须注明主体)',
  },
  ALLOW_LIST_ALREADY_LISTED: {
    code: 'ALLOW_LIST.ALREADY_LISTED',
    status: 409,
    message: '… is already on the allow-list',
  },
  ALLOW_LIST_NOT_LISTED: {
    code: 'ALLOW_LIST.NOT_LISTED',
    status: 404,
    message: 'this code is not on the allow-list',
  },
  INVALID_LEGACY_ID: {
    code: 'SUBJECT.INVALID_LEGACY_ID',
    status: 422,
    message:
      '旧证照号码应为组织机构代码或工商注册号 / a legacy identifier is an organization code or a registration number',
  },
  KIND_MISMATCH: {
    code: 'SUBJECT.KIND_MISMATCH',
    status: 422,
    message: 'subject … is registered as …, not … (主体类型不一致)',
  },
  NOT_FOUND: {
    code: 'SUBJECT.NOT_FOUND',
    status: 404,
    message: 'no subject has this identifier',
  },
});
