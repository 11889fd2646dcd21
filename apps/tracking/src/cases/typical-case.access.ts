import { Principal, supervises } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { TypicalCaseRow } from './typical-case.store';
import { CaseErrors } from './case.errors';

/** The credit office (supervisor, admin) screens; a supervisor with a region claim only its region's cases. */
export function screens(principal: Principal, region: string): boolean {
  return principal.roles.includes('admin') || supervises(principal, region);
}

/** The nominating department reads its case; the credit office every case it screens. */
export function mayReadCase(principal: Principal, c: Pick<TypicalCaseRow, 'nominatingDept' | 'region'>) {
  return principal.dept === c.nominatingDept || screens(principal, c.region);
}

export function caseNotFound(id: string) {
  return new DomainError({ error: CaseErrors.NOT_FOUND, detail: `no typical case ${id}` });
}
