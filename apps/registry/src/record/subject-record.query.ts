import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { relationOf } from '@credit/auth';
import { ListEntry } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import { OPEN_ENDED_TO } from '../list-types/periods';
import { earliestRepairDate, repairTermsOf } from '../list-types/repair-terms';
import { REGISTRY_DB } from '../registry.tokens';
import { Objection } from '../objections/objection.entity';
import { RepairApplication } from '../repairs/repair-application.entity';
import { Statement } from '../statements/statement.entity';

interface MeasureRow {
  assignment_id: string;
  entry_id: string;
  dept: string;
  measure_code: string;
  measure_text: string;
  mode: string;
  legal_basis: string;
  target_role: string | null;
  until: Date;
  suspended: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * 信用记录: what a subject (or a related person) sees of itself — every entry that names it, of any
 * status, with what it may do next, and the measures in force against it.
 */
@Injectable()
export class SubjectRecordQuery {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  async recordOf(identifier: string, now = new Date()) {
    const entries = await this.db
      .getRepository(ListEntry)
      .createQueryBuilder('e')
      .where(
        `e.subject_id = :id OR :id = ANY(e.subject_legacy_ids)
         OR e.related_persons @> jsonb_build_array(jsonb_build_object('id', :id::text))`,
        { id: identifier },
      )
      .orderBy('e.created_at', 'DESC')
      .limit(500)
      .getMany();
    const entryIds = entries.map((e) => e.id);
    const codes = [...new Set(entries.map((e) => e.listType))];
    const listTypes = new Map(
      (codes.length ? await this.db.getRepository(ListType).findBy(codes.map((code) => ({ code }))) : []).map(
        (t) => [t.code, t],
      ),
    );
    const statements = entryIds.length
      ? await this.db
          .getRepository(Statement)
          .createQueryBuilder('s')
          .where('s.entry_id IN (:...ids)', { ids: entryIds })
          .orderBy('s.received_at', 'ASC')
          .getMany()
      : [];
    const objections = entryIds.length
      ? await this.db
          .getRepository(Objection)
          .createQueryBuilder('o')
          .where('o.entry_id IN (:...ids)', { ids: entryIds })
          .orderBy('o.opened_at', 'ASC')
          .getMany()
      : [];
    const repairs = entryIds.length
      ? await this.db
          .getRepository(RepairApplication)
          .createQueryBuilder('r')
          .where('r.entry_id IN (:...ids)', { ids: entryIds })
          .orderBy('r.submitted_at', 'ASC')
          .getMany()
      : [];
    const measures: MeasureRow[] = await this.db.query(
      `SELECT assignment_id, entry_id, dept, measure_code, measure_text, mode, legal_basis, target_role,
              until, suspended
       FROM registry.subject_measures WHERE target_id = $1 AND until > $2 ORDER BY until`,
      [identifier, now],
    );

    return {
      identifier,
      entries: entries.map((e) => {
        const listType = listTypes.get(e.listType);
        const terms = listType ? repairTermsOf(listType) : null;
        const repairFrom = terms ? earliestRepairDate(terms, e) : null;
        const statementOpen =
          e.status === 'noticed' && (!e.statementDeadline || now.getTime() <= e.statementDeadline.getTime());
        return {
          id: e.id,
          relation: relationOf(
            { subjectIds: [e.subjectId, ...e.subjectLegacyIds], relatedPersons: e.relatedPersons },
            identifier,
          ),
          listType: { code: e.listType, name: listType?.name ?? null, colour: listType?.colour ?? null },
          ownerDept: e.ownerDept,
          subject: { kind: e.subjectKind, id: e.subjectId, name: e.subjectName },
          decision: { documentNo: e.decisionDocumentNo, date: e.decisionDate },
          period:
            e.periodFrom && e.periodTo
              ? { from: iso(e.periodFrom), to: e.openEnded ? null : iso(e.periodTo), openEnded: e.openEnded }
              : null,
          status: e.status,
          objectionOpen: e.objectionOpen,
          notice: e.noticedAt
            ? {
                noticedAt: iso(e.noticedAt),
                reasons: e.noticeReasons,
                legalBasis: e.noticeLegalBasis,
                rights: e.noticeRights,
              }
            : null,
          statementDeadline: iso(e.statementDeadline),
          earliestRepairDate: iso(repairFrom),
          repairConditions: terms?.repairable ? terms.conditions : [],
          endReason: e.endReason,
          endedAt: iso(e.endedAt),
          statements: statements
            .filter((s) => s.entryId === e.id)
            .map((s) => ({
              id: s.id,
              receiptNo: s.receiptNo,
              receivedAt: s.receivedAt.toISOString(),
              status: s.status,
              reply: s.reply,
              remedy: s.remedy,
              closedAt: iso(s.closedAt),
            })),
          objections: objections
            .filter((o) => o.entryId === e.id)
            .map((o) => ({
              id: o.id,
              receiptNo: o.receiptNo,
              openedAt: o.openedAt.toISOString(),
              status: o.status,
              resolutionNote: o.resolutionNote,
              resolvedAt: iso(o.resolvedAt),
            })),
          // 信用修复申请: where each stands (withdrawn, or closed when the entry ended, included)
          repairApplications: repairs
            .filter((r) => r.entryId === e.id)
            .map((r) => ({
              id: r.id,
              submittedAt: r.submittedAt.toISOString(),
              status: r.status,
              decidedAt: iso(r.decidedAt),
              reason: r.decisionReason,
              closedAt: iso(r.closedAt),
              closeReason: r.closeReason,
            })),
          // what the subject may do next, and until / from when
          next: {
            statement: { allowed: statementOpen, until: statementOpen ? iso(e.statementDeadline) : null },
            objection: { allowed: e.status === 'published' && !e.objectionOpen },
            repair: {
              allowed: e.status === 'published' && repairFrom !== null && now >= repairFrom,
              from: e.status === 'published' ? iso(repairFrom) : null,
            },
          },
        };
      }),
      measures: measures.map((m) => ({
        entryId: m.entry_id,
        assignmentId: m.assignment_id,
        dept: m.dept,
        measureCode: m.measure_code,
        text: m.measure_text,
        mode: m.mode,
        legalBasis: m.legal_basis,
        as: m.target_role ?? 'subject',
        // an open-ended entry's measures carry OPEN_ENDED_UNTIL: shown as the entry's period is (0033)
        until: m.until.getTime() >= OPEN_ENDED_TO.getTime() ? null : m.until.toISOString(),
        openEnded: m.until.getTime() >= OPEN_ENDED_TO.getTime(),
        suspended: m.suspended,
      })),
    };
  }
}
