import { DataSource } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import { AccessErrors, DomainError } from '@credit/platform';

/**
 * The region a supervisor's figures, lists and reports cover (decision 0020): its `region` claim, or what
 * it asked for (every region when neither). A supervisor of one region asking for another: 403.
 */
export function regionScope(principal: Principal, requested?: string): string | undefined {
  const claim = supervisedRegion(principal);
  if (claim === undefined) return requested;
  if (requested !== undefined && requested !== claim)
    throw new DomainError({
      error: AccessErrors.OUTSIDE_REGION,
      detail: `this supervisor oversees region ${claim} only`,
    });
  return claim;
}

/** SQL condition: `column` names a department of the region bound at `placeholder`. */
export function deptInRegion(column: string, placeholder: string): string {
  return `${column} IN (SELECT dept FROM tracking.department_regions WHERE region = ${placeholder})`;
}

/** 403 unless the caller's region (if it has a claim) holds `dept`. */
export async function assertDeptInScope(db: DataSource, principal: Principal, dept: string): Promise<void> {
  const claim = supervisedRegion(principal);
  if (claim === undefined) return;
  const [row]: { region: string }[] = await db.query(
    'SELECT region FROM tracking.department_regions WHERE dept = $1',
    [dept],
  );
  if (row?.region !== claim)
    throw new DomainError({
      error: AccessErrors.OUTSIDE_REGION,
      detail: `this supervisor oversees region ${claim} only`,
    });
}
