import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DepartmentDirectory, Public } from '@credit/auth';
import { DevTokenDto } from './dev-sign-in.dto';
import { DevSignInQueries, rolesOf } from './dev-sign-in.queries';
import { IssueDevTokenUseCase } from './issue-dev-token.usecase';

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
    private readonly directory: DepartmentDirectory,
    private readonly issueDevToken: IssueDevTokenUseCase,
  ) {}

  @Get('sign-in-options')
  async options() {
    const departments = await this.queries.departmentsOffered();
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

  @Post('token')
  @HttpCode(201)
  token(@Body() body: DevTokenDto) {
    return this.issueDevToken.execute(body);
  }
}
