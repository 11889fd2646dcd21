import { INestApplicationContext } from '@nestjs/common';
import { DepartmentDirectory, SUPERVISING_ROLES } from '@credit/auth';
import { Role } from '@credit/contracts';

/**
 * Tests mint tokens for departments they register later, or never: each process under test learns the
 * department as if it had been registered (supervising when the roles need it), so a token is accepted
 * wherever it is sent. The real path — POST /v1/departments, the event, each service's table and reload —
 * has its own tests (test/platform/department-tokens.e2e-cases.ts); a test that registers the department
 * itself still gets 201 and the event still updates every service.
 */
export function admitDepartment(apps: INestApplicationContext[], dept: string, roles: readonly Role[]): void {
  if (dept === '') return; // a subject token has no department
  const supervising = roles.some((r) => SUPERVISING_ROLES.includes(r));
  for (const app of apps) {
    const directory = app.get(DepartmentDirectory);
    if (supervising || !directory.has(dept)) directory.learn(dept, supervising);
  }
}
