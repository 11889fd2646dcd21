import { Inject, Injectable } from '@nestjs/common';
import { DepartmentDirectory, mintToken } from '@credit/auth';
import { validateIdNumber, validateUscc } from '@credit/identifiers';
import { DomainError } from '@credit/platform';
import { DevTokenDto } from './dev-sign-in.dto';
import { DevSignInErrors } from './dev-sign-in.errors';
import { DevSignInQueries, rolesOf } from './dev-sign-in.queries';

export const DEV_SIGN_IN_SECRET = Symbol('DEV_SIGN_IN_SECRET');

const EXPIRES_IN_SECONDS = 8 * 3600;

/**
 * Development-only sign-in (decision 0028): a token signed with the development secret, for a role the
 * department is offered, or for a subject by its unified code or ID number as the identity provider would
 * verify it.
 */
@Injectable()
export class IssueDevTokenUseCase {
  constructor(
    private readonly queries: DevSignInQueries,
    @Inject(DEV_SIGN_IN_SECRET) private readonly secret: string,
    private readonly directory: DepartmentDirectory,
  ) {}

  async execute(body: DevTokenDto) {
    const expiresInSeconds = EXPIRES_IN_SECONDS;
    if (body.role === 'subject') {
      // as the token verifier reads a subject's sub: a unified code or an ID number, normalised
      const raw = (body.subject ?? '').trim();
      const uscc = validateUscc(raw, { orgCodeCheck: 'flag' });
      const id = uscc.ok ? uscc : validateIdNumber(raw);
      if (!id.ok) {
        throw new DomainError({
          error: DevSignInErrors.INVALID_SUBJECT,
          detail: 'a subject signs in with its unified social credit code or ID number',
          field: 'subject',
        });
      }
      const token = await mintToken({ sub: id.value, dept: '', roles: ['subject'] }, this.secret, {
        expiresIn: `${expiresInSeconds}s`,
      });
      return { token, expiresInSeconds, subject: id.value, role: 'subject' };
    }
    const department = (await this.queries.departmentsOffered()).find((d) => d.code === body.dept);
    if (!department)
      throw new DomainError({
        error: DevSignInErrors.UNKNOWN_DEPARTMENT,
        detail: `no department ${body.dept}`,
        field: 'dept',
      });
    if (!rolesOf(this.directory, department).includes(body.role)) {
      throw new DomainError({
        error: DevSignInErrors.ROLE_NOT_OFFERED,
        detail: `${body.dept} is not offered the ${body.role} role`,
        field: 'role',
      });
    }
    const token = await mintToken(
      { sub: `dev-${department.code.toLowerCase()}-${body.role}`, dept: department.code, roles: [body.role] },
      this.secret,
      { expiresIn: `${expiresInSeconds}s` },
    );
    return { token, expiresInSeconds, dept: department.code, deptName: department.name, role: body.role };
  }
}
