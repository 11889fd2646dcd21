import { IdentifierInputError, identifierFailure, type IdentifierFailure } from './failure';
import { normalizeIdentifier } from './normalize';
import { hasValidOrganizationCheck } from './organization-code';
import { isValidRegistrationRegion } from './regions';
import { IdentifierCodes } from './identifier.errors';

/** GB 32100 character set: 31 characters, no I, O, S, V, Z (confusable with 1, 0, 5, U, 2). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_CHARS = /^[0-9A-HJ-NP-RTUW-Y]+$/;

interface AuthorityEntry {
  readonly name: string;
  readonly categories: Readonly<Record<string, string>>;
}

/**
 * 登记管理部门码 (position 1) → 机构类别码 (position 2), per GB 32100-2015 Appendix A as amended by the
 * authorities that were later assigned codes (A 中央军委改革和编制办公室, N 农业). "9 其他" is accepted where
 * the table provides it. Exported so UIs and demo-data generators use the same table.
 */
export const USCC_CATEGORY_TABLE: Readonly<Record<string, AuthorityEntry>> = {
  '1': {
    name: '机构编制',
    categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    categories: {
      '1': '组级集体经济组织',
      '2': '村级集体经济组织',
      '3': '乡镇级集体经济组织',
      '9': '其他',
    },
  },
  Y: { name: '其他', categories: { '1': '其他' } },
};

export interface ValidUscc {
  readonly ok: true;
  readonly value: string;
  readonly registrationAuthority: string;
  readonly category: string;
  readonly region: string;
  /** Positions 9–17: the GB 11714 organization code, also the legacy lookup key. */
  readonly organizationCode: string;
  /** Present only when the code failed the org-code or checksum rule and was accepted via the allow-list. */
  readonly pilot?: true;
  /** Present when the embedded organization code's own check character is wrong and the caller chose to flag it. */
  readonly orgCodeMismatch?: true;
}

export type UsccResult = ValidUscc | IdentifierFailure;

export interface UsccOptions {
  /**
   * Admin-maintained list of early pilot codes that predate or violate the check rules. Entries must be
   * in normalized form (see normalizeIdentifier). Only the org-code and checksum rules are waived.
   */
  readonly allowList?: ReadonlySet<string>;
  /**
   * What a wrong check character inside the embedded organization code (positions 9–17) does: `reject`
   * (default) or `flag` — accept with `orgCodeMismatch`, when the code's own 18th check character is right.
   * Registration authorities have issued such codes; refusing them would block real subjects.
   */
  readonly orgCodeCheck?: 'reject' | 'flag';
}

/** GB 32100 check character over the first 17 characters: 31 − (Σ mod 31), 31 → 0. */
export const computeUsccCheckCharacter = (first17: string): string => {
  if (first17.length !== 17 || !USCC_CHARS.test(first17)) {
    throw new IdentifierInputError('USCC body must be 17 characters from the GB 32100 character set');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
};

/** 统一社会信用代码 (GB 32100-2015). */
export const validateUscc = (raw: string, options: UsccOptions = {}): UsccResult => {
  const value = normalizeIdentifier(raw);
  if (value.length !== 18) {
    return identifierFailure(
      IdentifierCodes.INVALID_USCC_LENGTH,
      'length',
      '统一社会信用代码应为18位',
      'unified social credit code must be 18 characters',
    );
  }
  if (!USCC_CHARS.test(value)) {
    return identifierFailure(
      IdentifierCodes.INVALID_USCC_CHARACTER,
      'character',
      '统一社会信用代码含非法字符（不使用I、O、S、V、Z）',
      'unified social credit code has an invalid character (I, O, S, V, Z are not used)',
    );
  }
  const registrationAuthority = value[0];
  const authority = USCC_CATEGORY_TABLE[registrationAuthority];
  if (authority === undefined || !Object.hasOwn(USCC_CATEGORY_TABLE, registrationAuthority)) {
    return identifierFailure(
      IdentifierCodes.INVALID_USCC_AUTHORITY,
      'authority',
      '第1位登记管理部门码无效',
      'position 1: unknown registration authority',
    );
  }
  const category = value[1];
  if (!Object.hasOwn(authority.categories, category)) {
    return identifierFailure(
      IdentifierCodes.INVALID_USCC_CATEGORY,
      'category',
      '第2位机构类别码与登记管理部门不符',
      'position 2: category not defined for this registration authority',
    );
  }
  const region = value.slice(2, 8);
  if (!isValidRegistrationRegion(region)) {
    return identifierFailure(
      IdentifierCodes.INVALID_USCC_REGION,
      'region',
      '第3–8位登记管理机关行政区划码无效',
      'positions 3–8: invalid administrative region code',
    );
  }
  const organizationCode = value.slice(8, 17);
  const valid = { ok: true, value, registrationAuthority, category, region, organizationCode } as const;
  // Waivable rules last, so an allow-listed code still proves its structure.
  const pilot = options.allowList?.has(value) === true;
  if (!hasValidOrganizationCheck(organizationCode)) {
    if (pilot) return { ...valid, pilot: true };
    if (options.orgCodeCheck === 'flag' && computeUsccCheckCharacter(value.slice(0, 17)) === value[17]) {
      return { ...valid, orgCodeMismatch: true };
    }
    return identifierFailure(
      IdentifierCodes.INVALID_USCC_ORG_CODE,
      'organization_code',
      '第9–17位主体标识码（组织机构代码）校验码错误',
      'positions 9–17: embedded organization code check character does not match',
    );
  }
  if (computeUsccCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return pilot
      ? { ...valid, pilot: true }
      : identifierFailure(
          IdentifierCodes.INVALID_USCC_CHECKSUM,
          'checksum',
          '第18位校验码错误',
          'position 18: check character does not match',
        );
  }
  return valid;
};
