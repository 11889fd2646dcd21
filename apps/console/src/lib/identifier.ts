// the server's own identifier rules (GB 32100 unified codes, GB 11643 ID numbers …), run as one types
import { classifyIdentifier } from '../../../../libs/identifiers/src/classify-identifier';

export interface IdentifierCheck {
  ok: boolean;
  message: string;
  type?: string;
}

const TYPE_NAMES: Record<string, string> = {
  uscc: '统一社会信用代码',
  id_number: '居民身份证号码',
  organization_code: '组织机构代码',
  registration_number: '注册号',
};

/** Live validation of a subject's identifier as it is typed: the same checks the registry makes. */
export function checkIdentifier(raw: string): IdentifierCheck {
  if (!raw.trim()) return { ok: false, message: '请输入统一社会信用代码或身份证号' };
  const result = classifyIdentifier(raw);
  if (!result.ok) return { ok: false, message: result.message };
  return { ok: true, type: result.type, message: `有效的${TYPE_NAMES[result.type] ?? result.type}` };
}
