import { ROLES, Role } from '@credit/contracts';
import { isRole } from './principal';

/** Roles only a supervising department may hold (API.md "Tokens"). */
export const SUPERVISING_ROLES: readonly Role[] = ['supervisor', 'credit_office'];

/** A department code as the registry accepts it: 2–32 of A–Z, 0–9, `_` or `-`. */
export const DEPARTMENT_CODE = /^[A-Z0-9_-]{2,32}$/;

export const DEFAULT_BOOTSTRAP_DEPT = 'CREDIT_OFFICE';
export const DEFAULT_DEPARTMENTS_REFRESH_MS = 3_000;

export interface DepartmentDirectoryOptions {
  /** Known from the first start, supervising, may hold every role: a new installation's first admin. */
  bootstrapDept?: string;
  /** Further limits: a department listed here may hold only these roles (AUTH_DEPARTMENT_ROLES). */
  roleLimits?: ReadonlyMap<string, ReadonlySet<Role>>;
  /** How often each service reloads its table of registered departments (milliseconds). */
  refreshMs?: number;
}

/** Why a department may not use a token: unknown, or a role it may not hold. */
export type DepartmentRefusal =
  { reason: 'unknown' } | { reason: 'role'; role: Role; why: 'not_supervising' | 'limited' };

/**
 * The registered departments as this process knows them, in memory: every token's `dept` is looked up
 * here (a Map lookup, never a query). Each service fills it from its own table of
 * `credit.department.registered.v1` events — at start, every few seconds, and on each event it applies
 * (so a replica that did not consume the event learns it at its next reload). Departments are never
 * removed: the registry has no route that removes one.
 */
export class DepartmentDirectory {
  readonly bootstrapDept: string;
  readonly refreshMs: number;
  private readonly roleLimits: ReadonlyMap<string, ReadonlySet<Role>>;
  /** code → supervising */
  private readonly departments = new Map<string, boolean>();

  constructor(options: DepartmentDirectoryOptions = {}) {
    this.bootstrapDept = options.bootstrapDept ?? DEFAULT_BOOTSTRAP_DEPT;
    this.refreshMs = options.refreshMs ?? DEFAULT_DEPARTMENTS_REFRESH_MS;
    this.roleLimits = options.roleLimits ?? new Map();
    this.departments.set(this.bootstrapDept, true);
  }

  /** A registered department (from an event or a reload of the service's table). */
  learn(code: string, supervising: boolean): void {
    if (code === this.bootstrapDept) return; // supervises whatever a registration said
    this.departments.set(code, supervising);
  }

  has(code: string): boolean {
    return this.departments.has(code);
  }

  /** undefined when `dept` may use a token with `roles`; otherwise why not. */
  refusal(dept: string, roles: readonly Role[]): DepartmentRefusal | undefined {
    const supervising = this.departments.get(dept);
    if (supervising === undefined) return { reason: 'unknown' };
    if (dept === this.bootstrapDept) return undefined; // may hold every role
    const limit = this.roleLimits.get(dept);
    for (const role of roles) {
      if (!supervising && SUPERVISING_ROLES.includes(role))
        return { reason: 'role', role, why: 'not_supervising' };
      if (limit && !limit.has(role)) return { reason: 'role', role, why: 'limited' };
    }
    return undefined;
  }
}

/**
 * AUTH_DEPARTMENT_ROLES: `DEPT=role,role;DEPT=role` — each listed department may hold only the roles
 * listed for it (on top of the supervising rule). Throws a message naming what is wrong.
 */
export function parseDepartmentRoles(value: string | undefined): Map<string, Set<Role>> {
  const limits = new Map<string, Set<Role>>();
  for (const part of (value ?? '').split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const [dept, roles, ...rest] = item.split('=').map((s) => s.trim());
    if (rest.length > 0 || roles === undefined || !DEPARTMENT_CODE.test(dept)) {
      throw new Error(`"${item}" is not DEPT=role,role (DEPT: 2–32 of A–Z, 0–9, _ or -)`);
    }
    const set = new Set<Role>();
    for (const role of roles.split(',').map((r) => r.trim())) {
      if (!isRole(role)) throw new Error(`"${role}" (for ${dept}) is not one of ${ROLES.join(', ')}`);
      set.add(role);
    }
    limits.set(dept, set);
  }
  return limits;
}
