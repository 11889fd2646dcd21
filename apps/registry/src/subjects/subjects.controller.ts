import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { normalizeIdentifier, validateUscc } from '@credit/identifiers';
import { conflict, notFound, Quota, unprocessable } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectRegistry } from './subject-registry';

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
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly subjects: SubjectRegistry,
  ) {}

  /** A subject by its unified code, ID number, organization code or registration number, with its entries. */
  @Get('subjects/:identifier')
  @Roles('initiator', 'supervisor', 'admin')
  @Quota('lookups')
  async get(@CurrentPrincipal() principal: Principal, @Param('identifier') identifier: string) {
    const subject = await this.subjects.find(identifier);
    if (!subject) throw notFound('SUBJECT.NOT_FOUND', 'no subject has this identifier');
    const seeAll = principal.roles.includes('supervisor') || principal.roles.includes('admin');
    const entries: Record<string, unknown>[] = await this.db.query(
      `SELECT id, list_type AS "listType", owner_dept AS "ownerDept", status, period_from AS "from", period_to AS "to",
              objection_open AS "objectionOpen"
       FROM registry.list_entries WHERE subject_id = $1 ${seeAll ? '' : 'AND owner_dept = $2'}
       ORDER BY created_at`,
      seeAll ? [subject.identifier] : [subject.identifier, principal.dept],
    );
    const names: { name: string; replacedAt: Date }[] = await this.db.query(
      `SELECT name, replaced_at AS "replacedAt" FROM registry.subject_name_history WHERE subject_id = $1 ORDER BY id`,
      [subject.id],
    );
    return {
      kind: subject.kind,
      identifier: subject.identifier,
      name: subject.name,
      legacyIds: subject.legacyIds,
      flags: subject.flags,
      formerNames: names.map((n) => ({ name: n.name, until: n.replacedAt.toISOString() })),
      entries,
    };
  }

  @Get('identifier-allow-list')
  @Roles('admin', 'supervisor')
  async allowList() {
    const items = await this.db.query(
      `SELECT code, note, added_by AS "addedBy", added_at AS "addedAt" FROM registry.identifier_allow_list ORDER BY code`,
    );
    return { items, nextCursor: null };
  }

  /** Admits an early pilot code that fails the checksum; subjects with it are flagged `pilot`. */
  @Post('identifier-allow-list')
  @HttpCode(201)
  @Roles('admin')
  async allow(@CurrentPrincipal() principal: Principal, @Body() body: AllowListEntryDto) {
    const code = normalizeIdentifier(body.code);
    const structural = validateUscc(code, { allowList: new Set([code]) });
    if (!structural.ok) throw unprocessable(structural.code, structural.message, 'code');
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO registry.identifier_allow_list (code, note, added_by) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [code, body.note, principal.sub],
    );
    if (inserted.length === 0)
      throw conflict('ALLOW_LIST.ALREADY_LISTED', `${code} is already on the allow-list`);
    this.subjects.forgetAllowList();
    return { code, note: body.note };
  }

  @Delete('identifier-allow-list/:code')
  @HttpCode(204)
  @Roles('admin')
  async disallow(@Param('code') raw: string) {
    const [, count] = await this.db.query('DELETE FROM registry.identifier_allow_list WHERE code = $1', [
      normalizeIdentifier(raw),
    ]);
    if (!count) throw notFound('ALLOW_LIST.NOT_LISTED', 'this code is not on the allow-list');
    this.subjects.forgetAllowList();
  }
}
