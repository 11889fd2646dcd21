import { ROLES, Role } from '@credit/contracts';

/** Who is calling: a person or a department system, its department and its roles (API.md). */
export interface Principal {
  sub: string;
  dept: string;
  roles: Role[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
