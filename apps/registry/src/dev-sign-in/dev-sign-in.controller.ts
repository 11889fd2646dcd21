import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DEPARTMENT_CODE, DepartmentDirectory, mintToken, Public } from '@credit/auth';
import { Role } from '@credit/contracts';
import { validateIdNumber, validateUscc } from '@credit/identifiers';
import { unprocessable } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { DevSignInQueries } from './dev-sign-in.queries';

export const DEV_SIGN_IN_SECRET = Symbol('DEV_SIGN_IN_SECRET');

const OFFERED: Role[] = ['supervisor', 'admin', 'credit_office', 'initiator', 'implementer', 'system'];

/**
 * The roles a department may be signed in as: those the token verifier's directory lets it hold
 * (supervisor and credit_office only for a supervising department, AUTH_DEPARTMENT_ROLES, the bootstrap
 * department's all); admin only for a supervising department, as in the demo.
 */
export function rolesOf(
  directory: DepartmentDirectory,
  department: { code: string; supervising: boolean },
): Role[] {
  const supervising = !directory.refusal(department.code, ['supervisor']);
  return OFFERED.filter(
    (role) =>
      !directory.refusal(department.code, [role]) &&
      (role !== 'admin' || supervising || department.supervising),
  );
}

export class DevTokenDto {
  @ValidateIf((o: DevTokenDto) => o.role !== 'subject')
  @IsString()
  @Matches(DEPARTMENT_CODE)
  dept?: string;

  @IsIn(['admin', 'initiator', 'implementer', 'system', 'supervisor', 'credit_office', 'subject'])
  role!: Role;

  /** role `subject`: the subject's (or related person's) unified code or ID number, as a verified identity */
  @ValidateIf((o: DevTokenDto) => o.role === 'subject')
  @IsString()
  @MaxLength(64)
  subject?: string;
}

/**
 * Development-only sign-in for the console (decision 0028): the registered departments with the roles
 * each may hold, and a token for one of them, signed with the development secret. Registered only where
 * NODE_ENV is development or test; in production the routes do not exist (404) and the console signs in
 * with OpenID Connect. Not part of the API (left out of the OpenAPI document).
 */
@ApiExcludeController()
@Public()
@Controller('dev/v1')
export class DevSignInController {
  constructor(
    private readonly queries: DevSignInQueries,
    @Inject(DEV_SIGN_IN_SECRET) private readonly secret: string,
    private readonly directory: DepartmentDirectory,
  ) {}

  @Get('sign-in-options')
  async options() {
    const departments = await this.departmentsOffered();
    return {
      mode: 'development',
      departments: departments.map((d) => ({
        code: d.code,
        name: d.name,
        region: d.region,
        roles: rolesOf(this.directory, d),
      })),
      subjects: await this.queries.subjectsOffered(),
    };
  }

  /** The registered departments, and the bootstrap one (which exists from the first start, registered or not). */
  private async departmentsOffered(): Promise<
    Pick<Department, 'code' | 'name' | 'region' | 'supervising'>[]
  > {
    const registered = await this.queries.departments();
    const bootstrap = this.directory.bootstrapDept;
    return registered.some((d) => d.code === bootstrap)
      ? registered
      : [{ code: bootstrap, name: bootstrap, region: '', supervising: true }, ...registered];
  }

  @Post('token')
  @HttpCode(201)
  async token(@Body() body: DevTokenDto) {
    const expiresInSeconds = 8 * 3600;
    if (body.role === 'subject') {
      // as the token verifier reads a subject's sub: a unified code or an ID number, normalised
      const raw = (body.subject ?? '').trim();
      const uscc = validateUscc(raw, { orgCodeCheck: 'flag' });
      const id = uscc.ok ? uscc : validateIdNumber(raw);
      if (!id.ok) {
        throw unprocessable(
          'DEV.INVALID_SUBJECT',
          'a subject signs in with its unified social credit code or ID number',
          'subject',
        );
      }
      const token = await mintToken({ sub: id.value, dept: '', roles: ['subject'] }, this.secret, {
        expiresIn: `${expiresInSeconds}s`,
      });
      return { token, expiresInSeconds, subject: id.value, role: 'subject' };
    }
    const department = (await this.departmentsOffered()).find((d) => d.code === body.dept);
    if (!department) throw unprocessable('DEV.UNKNOWN_DEPARTMENT', `no department ${body.dept}`, 'dept');
    if (!rolesOf(this.directory, department).includes(body.role)) {
      throw unprocessable(
        'DEV.ROLE_NOT_OFFERED',
        `${body.dept} is not offered the ${body.role} role`,
        'role',
      );
    }
    const token = await mintToken(
      { sub: `dev-${department.code.toLowerCase()}-${body.role}`, dept: department.code, roles: [body.role] },
      this.secret,
      { expiresIn: `${expiresInSeconds}s` },
    );
    return { token, expiresInSeconds, dept: department.code, deptName: department.name, role: body.role };
  }
}
