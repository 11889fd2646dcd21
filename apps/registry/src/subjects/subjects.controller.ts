import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { normalizeIdentifier } from '@credit/identifiers';
import { PageQueryDto, Quota } from '@credit/platform';
import { RecordsAccess } from '@credit/messaging';
import { ENTRY_READERS } from '../list-entries/list-entry.read-access';
import { IdentifierAllowListRepository } from './identifier-allow-list.repository';
import { SubjectQueries } from './subjects.queries';
import { AllowIdentifierUseCase } from './allow-identifier.usecase';
import { DisallowIdentifierUseCase } from './disallow-identifier.usecase';

class AllowListEntryDto {
  @ApiProperty({ example: '91330106MA2H7QK4XQ' })
  @IsString()
  @MinLength(18)
  @MaxLength(40)
  code!: string;

  @ApiProperty({ example: '2015年试点期间赋码，校验位不符' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note!: string;
}

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('v1')
export class SubjectsController {
  constructor(
    private readonly subjects: SubjectQueries,
    private readonly allowListed: IdentifierAllowListRepository,
    private readonly allowIdentifier: AllowIdentifierUseCase,
    private readonly disallowIdentifier: DisallowIdentifierUseCase,
  ) {}

  /**
   * A subject by its unified code, ID number, organization code or registration number, with the entries
   * the caller may read (decision 0020); 404, as for an unknown identifier, when it may read none.
   */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('subjects/:identifier')
  @Roles(...ENTRY_READERS)
  @Quota('lookups')
  get(@CurrentPrincipal() principal: Principal, @Param('identifier') identifier: string) {
    return this.subjects.readableBy(principal, identifier);
  }

  @Get('identifier-allow-list')
  @Roles('admin', 'supervisor')
  allowList(@Query() query: PageQueryDto) {
    return this.allowListed.page(query);
  }

  /** Admits an early pilot code that fails the checksum; subjects with it are flagged `pilot`. */
  @Post('identifier-allow-list')
  @HttpCode(201)
  @Roles('admin')
  allow(@CurrentPrincipal() principal: Principal, @Body() body: AllowListEntryDto) {
    return this.allowIdentifier.execute(principal, normalizeIdentifier(body.code), body.note);
  }

  @Delete('identifier-allow-list/:code')
  @HttpCode(204)
  @Roles('admin')
  async disallow(@Param('code') raw: string) {
    await this.disallowIdentifier.execute(normalizeIdentifier(raw));
  }
}
