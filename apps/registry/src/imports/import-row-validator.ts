import { randomUUID } from 'node:crypto';
import { isISO8601 } from 'class-validator';
import { SUBJECT_KINDS, SubjectKind } from '@credit/contracts';
import { WorkingCalendar } from '@credit/calendar';
import { ValidSubjectIdentifier } from '@credit/identifiers';
import { controlCharacterFields, DomainError, ValidationErrors } from '@credit/platform';
import { ListEntry, NOTICE_CHANNELS, NoticeChannel } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import {
  assertPeriodNotOver,
  assertPeriodStartHasReason,
  assertSubjectNotExcluded,
  decisionDay,
} from '../list-types/periods';
import { assertPeriodFitsSeverity, periodDays } from '../list-types/severity';
import { SubjectRegistry } from '../subjects/subject-registry';
import { ColumnIndexes, ImportColumn } from './import-columns';
import { statementWorkingDaysOf } from '../list-types/statement-terms';
import { ListEntryErrors } from '../list-entries/list-entry.errors';
import { ImportErrors } from './import.errors';

/** draft; notice (this import is the notice: the statement period starts now); publish (noticed earlier) */
export const IMPORT_MODES = ['draft', 'notice', 'publish'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportRejection {
  /** 1-based data row (the header row is not counted) */
  row: number;
  field: string;
  code: string;
  message: string;
}

/** A row that passed every check the file alone can answer; the database checks come in the writer. */
export interface ImportCandidate {
  row: number;
  entry: ListEntry;
  identifier: ValidSubjectIdentifier;
}

const KIND_LABELS: Record<string, SubjectKind> = {
  法人: 'legal_person',
  非法人组织: 'unincorporated_org',
  自然人: 'individual',
  个体工商户: 'individual_business',
};
const KINDS = new Set<string>(SUBJECT_KINDS);
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

class RowRejected extends Error {
  constructor(
    readonly field: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportRowValidatorOptions {
  listType: ListType;
  mode: ImportMode;
  createdBy: string;
  subjects: SubjectRegistry;
  allowList: ReadonlySet<string>;
  calendar: WorkingCalendar;
  now: Date;
}

/**
 * Checks one row at a time as the single-entry path checks a request (identifiers with the allow-list,
 * the list type's subject kinds, ISO dates, the severity band, required fields) and, in publish mode,
 * what publishing checks (statement period over, period defaults). Also refuses a subject seen earlier in
 * the same file. Rows come out as the entries to store.
 */
export class ImportRowValidator {
  private readonly seen = new Set<string>();

  constructor(
    private readonly columns: ColumnIndexes,
    private readonly options: ImportRowValidatorOptions,
  ) {}

  validate(row: number, cells: readonly string[]): ImportCandidate | ImportRejection {
    const odd = this.controlCharacterCell(row, cells);
    if (odd) return odd;
    try {
      return this.candidate(row, cells);
    } catch (err) {
      if (err instanceof RowRejected || err instanceof DomainError) {
        return { row, field: err.field ?? '', code: err.code, message: err.message };
      }
      throw err;
    }
  }

  /**
   * A cell holding a control character (tab and line breaks aside) or a lone surrogate: a bad row, as the
   * HTTP edge refuses such a field (decision 0018), never a value the database refuses mid-import.
   */
  private controlCharacterCell(row: number, cells: readonly string[]): ImportRejection | undefined {
    for (const [column, i] of Object.entries(this.columns)) {
      const value = i >= 0 && i < cells.length ? cells[i] : '';
      const found = controlCharacterFields(value, column);
      if (found.length > 0) return { row, field: column, code: found[0].code, message: found[0].message };
    }
    return undefined;
  }

  private candidate(row: number, cells: readonly string[]): ImportCandidate {
    const { listType, mode, subjects, allowList, now } = this.options;
    const cell = (column: ImportColumn) => {
      const i = this.columns[column];
      return i < 0 || i >= cells.length ? '' : cells[i].trim();
    };
    const text = (column: ImportColumn, max: number) => {
      const value = cell(column);
      if (value === '') throw missing(column);
      if (value.length > max) {
        throw new RowRejected(
          column,
          ValidationErrors.MAX_LENGTH.code,
          `${column} must be at most ${max} characters`,
        );
      }
      return value;
    };

    const rawKind = cell('subjectKind');
    if (rawKind === '') throw missing('subjectKind');
    const kind = KINDS.has(rawKind) ? (rawKind as SubjectKind) : KIND_LABELS[rawKind];
    if (!kind) {
      throw new RowRejected(
        'subjectKind',
        ValidationErrors.IS_IN.code,
        `subjectKind must be one of ${SUBJECT_KINDS.join(', ')} (or 法人, 非法人组织, 自然人, 个体工商户)`,
      );
    }
    if (!listType.subjectKinds.includes(kind)) {
      throw new RowRejected(
        'subjectKind',
        ListEntryErrors.SUBJECT_KIND_NOT_ALLOWED.code,
        `list type ${listType.code} does not take subjects of kind ${kind}`,
      );
    }
    const identifier = subjects.validate(kind, text('subjectId', 64), 'subjectId', allowList);
    const subjectName = text('subjectName', 200);
    const documentNo = text('documentNo', 200);
    const decisionDate = text('decisionDate', 40);
    if (!ISO_DATE.test(decisionDate) || !isISO8601(decisionDate, { strict: true })) {
      throw new RowRejected(
        'decisionDate',
        ValidationErrors.IS_ISO8601.code,
        'decisionDate must be a date as YYYY-MM-DD',
      );
    }
    const facts = text('facts', 5000);

    assertSubjectNotExcluded(listType, { kind, id: identifier.value }, decisionDate, now, 'subjectId');

    let periodFrom = optionalInstant(cell('periodFrom'), 'periodFrom');
    let periodTo = optionalInstant(cell('periodTo'), 'periodTo');
    const periodReason = cell('periodReason') || null;
    if (periodFrom && !periodTo) throw missing('periodTo');
    if (periodTo && !periodFrom) throw missing('periodFrom');
    if (periodFrom && periodTo) {
      if (periodTo <= periodFrom) {
        throw new RowRejected(
          'periodTo',
          ListEntryErrors.PERIOD_INVALID.code,
          'periodTo must be after periodFrom',
        );
      }
      assertPeriodFitsSeverity(listType.severity, periodDays(periodFrom, periodTo), 'periodTo');
      assertPeriodStartHasReason(decisionDate, periodFrom, periodReason, 'periodReason');
    }

    const repId = cell('legalRepresentativeId');
    const repName = cell('legalRepresentativeName');
    if (repId && !repName) throw missing('legalRepresentativeName');
    if (repName && !repId) throw missing('legalRepresentativeId');
    const relatedPersons = repId
      ? [
          {
            role: 'legal_representative' as const,
            kind: 'individual' as const,
            id: subjects.validate('individual', repId, 'legalRepresentativeId', allowList).value,
            name: text('legalRepresentativeName', 200),
          },
        ]
      : [];

    let noticedAt: Date | null = null;
    let noticeChannel: NoticeChannel | null = null;
    let statementDeadline: Date | null = null;
    if (mode === 'notice') {
      // this import is the notice (告知): the statement period starts now
      noticedAt = now;
      noticeChannel = optionalChannel(cell('noticeChannel')) ?? 'online';
      statementDeadline = this.options.calendar.addWorkingDays(noticedAt, listType.noticeWorkingDays);
    }
    if (mode === 'publish') {
      // a notice is never presumed: the row says when and how the subject was told (decision 0033)
      const told = optionalInstant(cell('noticedAt'), 'noticedAt');
      noticeChannel = optionalChannel(cell('noticeChannel'));
      if (!told || !noticeChannel) {
        const field = told ? 'noticeChannel' : 'noticedAt';
        throw new RowRejected(
          field,
          ImportErrors.NOTICE_REQUIRED.code,
          `publishing needs the notice: ${field} is required (noticedAt and noticeChannel; or import with mode=notice) (未告知不得公示)`,
        );
      }
      noticedAt = told;
      if (noticedAt.getTime() > now.getTime()) {
        throw new RowRejected(
          'noticedAt',
          ListEntryErrors.NOTICE_IN_FUTURE.code,
          'noticedAt cannot be in the future',
        );
      }
      statementDeadline = this.options.calendar.addWorkingDays(noticedAt, statementWorkingDaysOf(listType));
      if (now < statementDeadline) {
        throw new RowRejected(
          'noticedAt',
          ListEntryErrors.STATEMENT_PERIOD_OPEN.code,
          `the subject may make a statement until ${statementDeadline.toISOString()}; publish after it (陈述申辩期未满)`,
        );
      }
      // as publishEntry: from the decision date for the list type's default period unless the row says otherwise
      periodFrom ??= decisionDay(decisionDate);
      periodTo ??= new Date(periodFrom.getTime() + listType.defaultPeriodDays * DAY_MS);
      assertPeriodFitsSeverity(listType.severity, periodDays(periodFrom, periodTo), 'periodTo');
      assertPeriodNotOver(periodTo, now, 'periodTo');
    }

    if (this.seen.has(identifier.value)) {
      throw new RowRejected(
        'subjectId',
        ImportErrors.DUPLICATE_SUBJECT.code,
        `subject ${identifier.value} already appears in an earlier row of this file (同一主体重复)`,
      );
    }
    this.seen.add(identifier.value);

    const entry: ListEntry = {
      id: randomUUID(),
      listType: listType.code,
      ownerDept: listType.ownerDept,
      subjectKind: kind,
      subjectId: identifier.value,
      subjectName,
      subjectLegacyIds: [...identifier.legacyIds],
      relatedPersons,
      basisCommitmentId: null,
      decisionDocumentNo: documentNo,
      decisionDate,
      decisionFacts: facts,
      periodFrom,
      periodTo,
      openEnded: false,
      periodReason,
      extensions: 0,
      status: mode === 'publish' ? 'published' : mode === 'notice' ? 'noticed' : 'draft',
      noticedAt,
      noticeChannel,
      noticeNote: null,
      noticeReasons: null,
      noticeLegalBasis: null,
      noticeRights: null,
      statementDeadline,
      objectionOpen: false,
      publishedAt: mode === 'publish' ? now : null,
      endedAt: null,
      endReason: null,
      endNote: null,
      createdBy: this.options.createdBy,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    return { row, entry, identifier };
  }
}

function missing(column: ImportColumn): RowRejected {
  return new RowRejected(column, ImportErrors.MISSING_VALUE.code, `${column} is required (必填)`);
}

/** An ISO 8601 date or date-time; a bare date means midnight Beijing time. */
function optionalInstant(value: string, column: ImportColumn): Date | null {
  if (value === '') return null;
  if (isISO8601(value, { strict: true })) {
    const instant = ISO_DATE.test(value) ? startOfChinaDay(value) : new Date(value);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  throw new RowRejected(
    column,
    ValidationErrors.IS_ISO8601.code,
    `${column} must be an ISO 8601 date or date-time`,
  );
}

const CHANNELS = new Set<string>(NOTICE_CHANNELS);

function optionalChannel(value: string): NoticeChannel | null {
  if (value === '') return null;
  if (CHANNELS.has(value)) return value as NoticeChannel;
  throw new RowRejected(
    'noticeChannel',
    ValidationErrors.IS_IN.code,
    `noticeChannel must be one of ${NOTICE_CHANNELS.join(', ')}`,
  );
}

function startOfChinaDay(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+08:00`);
}
