import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { codePage, codePageOf, DomainError, PageQueryDto } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectRegistry } from './subject-registry';
import { SubjectErrors } from './subject.errors';

/** 白名单: early pilot codes admitted despite their checksum; a change refreshes the registry's cache. */
@Injectable()
export class IdentifierAllowListRepository {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly subjects: SubjectRegistry,
  ) {}

  async page(query: PageQueryDto) {
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

  /** 409 when the code is already listed. */
  async add(code: string, note: string, addedBy: string): Promise<void> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO registry.identifier_allow_list (code, note, added_by) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [code, note, addedBy],
    );
    if (inserted.length === 0)
      throw new DomainError({
        error: SubjectErrors.ALLOW_LIST_ALREADY_LISTED,
        detail: `${code} is already on the allow-list`,
      });
    this.subjects.forgetAllowList();
  }

  /** 404 when the code is not listed. */
  async remove(code: string): Promise<void> {
    const [, count] = await this.db.query('DELETE FROM registry.identifier_allow_list WHERE code = $1', [
      code,
    ]);
    if (!count)
      throw new DomainError({
        error: SubjectErrors.ALLOW_LIST_NOT_LISTED,
        detail: 'this code is not on the allow-list',
      });
    this.subjects.forgetAllowList();
  }
}
