import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PublicationPublishedV1 } from '@credit/contracts';
import { normalizeIdentifier } from '@credit/identifiers';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';

export interface PublicEntriesQuery {
  q?: string;
  listType?: string;
  cursor?: string;
  limit: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** 公示: what an anonymous reader finds — the entries on public display and the public list types. */
@Injectable()
export class PublicEntryQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /**
   * The entries on public display and in force at `now`, newest publication first. `q` finds a subject by
   * its unified code, ID number or legacy code (exactly), an organisation by part of its name, and a person
   * by the whole name only (a masked record is found only by someone who knows who they look for).
   */
  async search(
    query: PublicEntriesQuery,
    now: Date,
  ): Promise<{ items: PublicationPublishedV1[]; nextCursor: string | null }> {
    const params: unknown[] = [now];
    const where = ['(period_to IS NULL OR period_to > $1)'];
    if (query.listType) {
      params.push(query.listType);
      where.push(`list_type = $${params.length}`);
    }
    const q = query.q?.trim();
    if (q) {
      params.push(normalizeIdentifier(q), q, `%${escapeLike(q)}%`);
      const [code, name, pattern] = [params.length - 2, params.length - 1, params.length];
      where.push(
        `(subject_id = $${code} OR subject_legacy_ids @> ARRAY[$${code}::text]
          OR (NOT masked AND subject_name ILIKE $${pattern}) OR (masked AND subject_name = $${name}))`,
      );
    }
    if (query.cursor) {
      const [publishedAt, entryId] = decodeCursor(query.cursor);
      params.push(publishedAt, entryId);
      where.push(`(published_at, entry_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows: { record: PublicationPublishedV1; published_at: Date; entry_id: string }[] =
      await this.db.query(
        `SELECT record, published_at, entry_id FROM registry.public_entries
       WHERE ${where.join(' AND ')}
       ORDER BY published_at DESC, entry_id DESC
       LIMIT $${params.length}`,
        params,
      );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.record),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor([new Date(last.published_at).toISOString(), last.entry_id])
          : null,
    };
  }

  /** Each public list type: what lists a subject (criteria), how it leaves (exit conditions), the basis. */
  async listTypes() {
    const rows: {
      code: string;
      name: string;
      colour: string;
      severity: string;
      owner_dept: string;
      owner_name: string | null;
      legal_basis: string;
      criteria: string | null;
      exit_conditions: string | null;
      default_period_days: number;
      subject_kinds: string[];
      repairable: boolean;
    }[] = await this.db.query(
      `SELECT t.code, t.name, t.colour, t.severity, t.owner_dept, d.name AS owner_name, t.legal_basis,
              t.criteria, t.exit_conditions, t.default_period_days, t.subject_kinds, t.repairable
       FROM registry.list_types t LEFT JOIN registry.departments d ON d.code = t.owner_dept
       WHERE t.info_class = 'A' AND (t.severity <> 'minor' OR t.publish_minor)
       ORDER BY t.code`,
    );
    return {
      items: rows.map((r) => ({
        code: r.code,
        name: r.name,
        colour: r.colour,
        severity: r.severity,
        ownerDept: { code: r.owner_dept, name: r.owner_name ?? r.owner_dept },
        criteria: r.criteria,
        exitConditions: r.exit_conditions,
        legalBasis: r.legal_basis,
        defaultPeriodDays: r.default_period_days,
        subjectKinds: r.subject_kinds,
        repairable: r.repairable,
      })),
      nextCursor: null,
    };
  }
}
