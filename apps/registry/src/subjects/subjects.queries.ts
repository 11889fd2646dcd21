import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mayReadEntry, Principal } from '@credit/auth';
import type { InfoClass } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { entryAccessFacts } from '../list-entries/list-entry.read-access';
import type { ListEntry } from '../list-entries/list-entry.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectRegistry } from './subject-registry';
import { SubjectErrors } from './subject.errors';

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

/** A subject as a reader sees it: its identity, former names and the entries it may read. */
@Injectable()
export class SubjectQueries {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly subjects: SubjectRegistry,
  ) {}

  /**
   * A subject by its unified code, ID number, organization code or registration number, with the entries
   * the caller may read (decision 0020); 404, as for an unknown identifier, when it may read none.
   */
  async readableBy(principal: Principal, identifier: string) {
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
      throw new DomainError({ error: SubjectErrors.NOT_FOUND, detail: 'no subject has this identifier' });
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
}
