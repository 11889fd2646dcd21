import { ROLES, Role } from '@credit/contracts';

/** Who is calling: a person or a department system, its department and its roles (API.md). */
export interface Principal {
  /** A person or system id; for the `subject` role, the subject's own verified identifier. */
  sub: string;
  /** The caller's department; '' for a `subject` token, which has none. */
  dept: string;
  roles: Role[];
  /** The region code (行政区划代码) a supervisor oversees; absent: all regions. */
  region?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
