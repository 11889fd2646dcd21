import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SubjectKind } from '@credit/contracts';
import {
  classifyIdentifier,
  normalizeIdentifier,
  upgradeLegacyIdNumber,
  validateSubjectIdentifier,
  ValidSubjectIdentifier,
} from '@credit/identifiers';
import { DomainError } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_IDENTIFIER_POLICY } from '../registry.tokens';
import { identifierError } from './identifier.errors';
import { SubjectErrors } from './subject.errors';

export interface IdentifierPolicy {
  /** what a wrong check character inside a USCC's embedded organization code does (see decision 0006) */
  orgCodeCheck: 'reject' | 'flag';
}

export interface SubjectInput {
  kind: SubjectKind;
  identifier: ValidSubjectIdentifier;
  name: string;
  /** validated legacy identifiers given besides those derived from the identifier */
  legacyIds?: readonly string[];
}

const ALLOW_LIST_TTL_MS = 10_000;

/** Validates subjects' identifiers and keeps one subject record per identifier, with its name history. */
@Injectable()
export class SubjectRegistry {
  private allowList?: { codes: ReadonlySet<string>; loadedAt: number };

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_IDENTIFIER_POLICY) private readonly policy: IdentifierPolicy,
  ) {}

  /** The admin-maintained allow-list of pilot codes, cached briefly (a change here resets the cache). */
  async loadAllowList(): Promise<ReadonlySet<string>> {
    if (this.allowList && Date.now() - this.allowList.loadedAt < ALLOW_LIST_TTL_MS)
      return this.allowList.codes;
    const rows: { code: string }[] = await this.db.query('SELECT code FROM registry.identifier_allow_list');
    this.allowList = { codes: new Set(rows.map((r) => r.code)), loadedAt: Date.now() };
    return this.allowList.codes;
  }

  forgetAllowList(): void {
    this.allowList = undefined;
  }

  /** The normalized identifier, or a 422 naming the rule and the field. */
  validate(
    kind: SubjectKind,
    raw: string,
    field: string,
    allowList: ReadonlySet<string>,
  ): ValidSubjectIdentifier {
    const result = validateSubjectIdentifier(kind, raw, {
      allowList,
      orgCodeCheck: this.policy.orgCodeCheck,
    });
    if (!result.ok) {
      throw new DomainError({
        error: identifierError(result.code),
        detail: result.message,
        field,
        extra: { rule: result.rule },
      });
    }
    return result;
  }

  /**
   * Legacy identifiers given with a subject: each must be a valid organization code or registration
   * number (or, for a person, the 15-digit number the ID became); they are stored normalized.
   */
  validateLegacyIds(raw: readonly string[], field: string): string[] {
    return raw.map((value, i) => {
      const result = classifyIdentifier(value);
      if (!result.ok)
        throw new DomainError({
          error: identifierError(result.code),
          detail: result.message,
          field: `${field}[${i}]`,
          extra: { rule: result.rule },
        });
      const legacy = result.candidates.find(
        (c) => c.type === 'organization_code' || c.type === 'registration_number',
      );
      if (!legacy) {
        throw new DomainError({
          error: SubjectErrors.INVALID_LEGACY_ID,
          detail:
            '旧证照号码应为组织机构代码或工商注册号 / a legacy identifier is an organization code or a registration number',
          field: `${field}[${i}]`,
        });
      }
      return legacy.value;
    });
  }

  /** Creates or refreshes the subject record; a new name is kept with the old one in the history. */
  async upsert(manager: EntityManager, input: SubjectInput, sourceEntryId: string | null): Promise<void> {
    const flags = [
      ...(input.identifier.pilot ? ['pilot'] : []),
      ...(input.identifier.orgCodeMismatch ? ['org_code_mismatch'] : []),
    ];
    const [existing]: { id: string; kind: SubjectKind; name: string }[] = await manager.query(
      `INSERT INTO registry.subjects (id, kind, identifier, name, legacy_ids, flags)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (identifier) DO UPDATE SET legacy_ids = ARRAY(
         SELECT DISTINCT unnest(registry.subjects.legacy_ids || EXCLUDED.legacy_ids) ORDER BY 1)
       RETURNING id, kind, name, (xmax = 0) AS inserted`,
      [
        randomUUID(),
        input.kind,
        input.identifier.value,
        input.name,
        [...new Set([...input.identifier.legacyIds, ...(input.legacyIds ?? [])])],
        flags,
      ],
    );
    if (existing.kind !== input.kind) {
      throw new DomainError({
        error: SubjectErrors.KIND_MISMATCH,
        detail: `subject ${input.identifier.value} is registered as ${existing.kind}, not ${input.kind} (主体类型不一致)`,
        field: 'subject.kind',
      });
    }
    if (existing.name !== input.name) {
      await manager.query(
        `INSERT INTO registry.subject_name_history (subject_id, name, replaced_at, source_entry_id)
         VALUES ($1, $2, now(), $3)`,
        [existing.id, existing.name, sourceEntryId],
      );
      await manager.query('UPDATE registry.subjects SET name = $2, updated_at = now() WHERE id = $1', [
        existing.id,
        input.name,
      ]);
    }
  }

  /** Finds a subject by its identifier or any legacy code (organization code, registration number). */
  async find(raw: string) {
    const value = normalizeIdentifier(raw);
    const candidates = [value];
    // a 15-digit legacy ID number also finds the person under the 18-digit number it became
    if (/^\d{15}$/.test(value)) {
      try {
        candidates.push(upgradeLegacyIdNumber(value));
      } catch {
        // not an ID number: a registration number, looked up as it is
      }
    }
    const [subject] = await this.db.query(
      `SELECT id, kind, identifier, name, legacy_ids AS "legacyIds", flags, created_at AS "createdAt", updated_at AS "updatedAt"
       FROM registry.subjects WHERE identifier = ANY($1) OR legacy_ids && $1 LIMIT 1`,
      [candidates],
    );
    return subject as
      | {
          id: string;
          kind: SubjectKind;
          identifier: string;
          name: string;
          legacyIds: string[];
          flags: string[];
          createdAt: Date;
          updatedAt: Date;
        }
      | undefined;
  }
}
