import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, mayReadEntry, Principal, Roles } from '@credit/auth';
import type { InfoClass } from '@credit/contracts';
import { normalizeIdentifier, validateUscc } from '@credit/identifiers';
import {
  codePage,
  codePageOf,
  conflict,
  notFound,
  PageQueryDto,
  Quota,
  unprocessable,
} from '@credit/platform';
import { ENTRY_READERS, entryAccessFacts } from '../list-entries/list-entry.read-access';
import type { ListEntry } from '../list-entries/list-entry.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectRegistry } from './subject-registry';
import { RecordsAccess } from '@credit/messaging';

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

interface SubjectEntryFacts {
  ownerDept: string;
  status: ListEntry['status'];
  subject_id: string;
  subject_legacy_ids: string[];
  related_persons: ListEntry['relatedPersons'];
  info_class: InfoClass | null;
  region: string | null;
  implementers: string[] | null;
}

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('v1')
export class SubjectsController {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly subjects: SubjectRegistry,
  ) {}

  /**
   * A subject by its unified code, ID number, organization code or registration number, with the entries
   * the caller may read (decision 0020); 404, as for an unknown identifier, when it may read none.
   */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('subjects/:identifier')
  @Roles(...ENTRY_READERS)
  @Quota('lookups')
  async get(@CurrentPrincipal() principal: Principal, @Param('identifier') identifier: string) {
    const subject = await this.subjects.find(identifier);
    const rows: (Record<string, unknown> & SubjectEntryFacts)[] = subject
      ? await this.db.query(
          `SELECT e.id, e.list_type AS "listType", e.owner_dept AS "ownerDept", e.status,
                  e.period_from AS "from", CASE WHEN e.open_ended THEN NULL ELSE e.period_to END AS "to",
                  e.open_ended AS "openEnded", e.objection_open AS "objectionOpen",
                  e.subject_id, e.subject_legacy_ids, e.related_persons, t.info_class, d.region,
                  i.depts AS implementers
           FROM registry.list_entries e
           LEFT JOIN registry.list_types t ON t.code = e.list_type
           LEFT JOIN registry.departments d ON d.code = e.owner_dept
           LEFT JOIN registry.list_type_implementers i ON i.list_type = e.list_type
           WHERE e.subject_id = $1 ORDER BY e.created_at`,
          [subject.identifier],
        )
      : [];
    const entries = rows
      .filter((e) =>
        mayReadEntry(
          principal,
          entryAccessFacts(
            {
              ownerDept: e.ownerDept,
              subjectId: e.subject_id,
              subjectLegacyIds: e.subject_legacy_ids,
              relatedPersons: e.related_persons,
              status: e.status,
            },
            e.info_class,
            e.region,
            e.implementers,
          ),
        ),
      )
      .map((e) => ({
        id: e.id,
        listType: e.listType,
        ownerDept: e.ownerDept,
        status: e.status,
        from: e.from,
        to: e.to, // null: open-ended, until the obligation is performed
        openEnded: e.openEnded,
        objectionOpen: e.objectionOpen,
      }));
    if (!subject || entries.length === 0)
      throw notFound('SUBJECT.NOT_FOUND', 'no subject has this identifier');
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
  async allowList(@Query() query: PageQueryDto) {
    const page = codePageOf(query);
    const rows: { code: string }[] = await this.db.query(
      `SELECT code, note, added_by AS "addedBy", added_at AS "addedAt" FROM registry.identifier_allow_list
       WHERE ($1::text IS NULL OR code > $1) ORDER BY code LIMIT $2`,
      [page.after ?? null, page.take ?? null],
    );
    return codePage(
      rows,
      page,
      (r) => r.code,
      (r) => r,
    );
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
