import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';
import { Outbox } from '@credit/messaging';
import type { EmbeddedPostgres } from '@credit/persistence';
import { documentsOnPublish, requestDocumentsForMany } from '../documents/document-requests';
import { ListEntry } from '../list-entries/list-entry.entity';
import { publishedMessage } from '../list-entries/list-entry.events';
import { blackListedAmong, blackListedProblem, endRedEntriesOfBlackListed } from '../list-entries/red-black';
import { ListType } from '../list-types/list-type.entity';
import { recordOutboundPublications } from '../exchange/exchange-outbound';
import { recordPublications } from '../publication/publication.hooks';
import { upsertSubjects } from './bulk-subjects';
import { ImportCandidate, ImportMode, ImportRejection } from './import-row-validator';
import { ListEntryErrors } from '../list-entries/list-entry.errors';

const ENTRY_COLUMNS = [
  'id',
  'list_type',
  'owner_dept',
  'subject_kind',
  'subject_id',
  'subject_name',
  'subject_legacy_ids',
  'related_persons',
  'decision_document_no',
  'decision_date',
  'decision_facts',
  'period_from',
  'period_to',
  'period_reason',
  'status',
  'noticed_at',
  'notice_channel',
  'statement_deadline',
  'published_at',
  'created_by',
  'created_at',
  'updated_at',
  'version',
];

/** Time spent per phase (ms), for the benchmark's profile. */
export interface ImportTimings {
  overlap: number;
  subjects: number;
  entries: number;
  outbox: number;
  documents: number;
}

/**
 * Stores validated rows batch by batch inside the import's transaction: the overlap rule (publish mode)
 * with one set-based query, subjects set-based, entries with COPY, published events through the outbox.
 */
export class ImportBatchWriter {
  readonly timings: ImportTimings = { overlap: 0, subjects: 0, entries: 0, outbox: 0, documents: 0 };

  constructor(
    private readonly client: PoolClient,
    private readonly manager: EntityManager,
    private readonly outbox: Outbox,
    private readonly listType: ListType,
    private readonly mode: ImportMode,
    private readonly actorDept: string,
    private readonly now: Date,
    /** the embedded mode's database, which takes COPY data another way */
    private readonly embedded?: EmbeddedPostgres,
  ) {}

  /** Returns how many rows were stored; rows refused by the database's state go to `reject`. */
  async write(candidates: ImportCandidate[], reject: (r: ImportRejection) => void): Promise<number> {
    let t = performance.now();
    const lap = (phase: keyof ImportTimings) => {
      const at = performance.now();
      this.timings[phase] += at - t;
      t = at;
    };
    let rows = candidates;
    if (this.mode === 'publish') {
      rows = await this.withoutOverlaps(rows, reject);
      rows = await this.withoutBlackListed(rows, reject);
      lap('overlap');
    }
    rows = await upsertSubjects(this.client, rows, reject);
    lap('subjects');
    if (rows.length === 0) return 0;
    await this.copyEntries(rows.map((r) => r.entry));
    lap('entries');
    if (this.mode === 'publish') {
      await this.outbox.add(
        this.manager,
        rows.map((r) => publishedMessage(r.entry, this.listType, this.actorDept, this.now)),
        { bulk: true }, // tens of thousands of subjects: one schema lock instead of a lock per subject
      );
      const entries = rows.map((r) => r.entry);
      await recordPublications(this.manager, this.outbox, entries, this.listType, this.now, { bulk: true });
      await recordOutboundPublications(this.manager, entries, this.listType, this.now); // 区域联合奖惩
      await endRedEntriesOfBlackListed(this.manager, this.outbox, entries, this.listType, this.now);
      lap('outbox');
      // the documents of 两书同达 are only asked for here: the documents job generates them (decision 0026)
      await requestDocumentsForMany(
        (sql, params) => this.client.query(sql, params),
        rows.map((r) => r.entry.id),
        this.listType.ownerDept,
        documentsOnPublish(this.listType),
        this.now,
      );
      lap('documents');
    }
    return rows.length;
  }

  /** 同一主体同类名单期间重叠: one query for the whole batch against the entries in force. */
  private async withoutOverlaps(
    candidates: ImportCandidate[],
    reject: (r: ImportRejection) => void,
  ): Promise<ImportCandidate[]> {
    if (candidates.length === 0) return candidates;
    const { rows } = await this.client.query<{ subject_id: string; entry_id: string }>(
      `SELECT DISTINCT ON (i.subject_id) i.subject_id, e.id AS entry_id
       FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS i(subject_id, period_from, period_to)
       JOIN registry.list_entries e ON e.subject_id = i.subject_id
       WHERE e.list_type = $1 AND e.status = 'published'
         AND e.period_from < i.period_to AND e.period_to > i.period_from`,
      [
        this.listType.code,
        candidates.map((c) => c.entry.subjectId),
        candidates.map((c) => c.entry.periodFrom!.toISOString()),
        candidates.map((c) => c.entry.periodTo!.toISOString()),
      ],
    );
    if (rows.length === 0) return candidates;
    const overlapping = new Map(rows.map((r) => [r.subject_id, r.entry_id]));
    return candidates.filter((c) => {
      const entryId = overlapping.get(c.entry.subjectId);
      if (entryId === undefined) return true;
      reject({
        row: c.row,
        field: 'subjectId',
        code: ListEntryErrors.OVERLAPPING.code,
        message: `the subject is already on ${this.listType.code} for an overlapping period (entry ${entryId}) (同一主体同类名单期间重叠)`,
      });
      return false;
    });
  }

  /** 红黑名单互斥: a red list that ends on a black listing takes no subject in force on a black list. */
  private async withoutBlackListed(
    candidates: ImportCandidate[],
    reject: (r: ImportRejection) => void,
  ): Promise<ImportCandidate[]> {
    const black = await blackListedAmong(
      this.manager,
      this.listType,
      candidates.map((c) => c.entry.subjectId),
    );
    if (black.size === 0) return candidates;
    return candidates.filter((c) => {
      const entryId = black.get(c.entry.subjectId);
      if (entryId === undefined) return true;
      const problem = blackListedProblem(this.listType.code, entryId);
      reject({ row: c.row, field: 'subjectId', code: problem.code, message: problem.message });
      return false;
    });
  }

  private async copyEntries(entries: ListEntry[]): Promise<void> {
    let text = '';
    for (const e of entries) text += copyLine(e);
    if (this.embedded) return this.embedded.copyFrom('registry.list_entries', ENTRY_COLUMNS, text);
    const copy = this.client.query(
      copyFrom(`COPY registry.list_entries (${ENTRY_COLUMNS.join(', ')}) FROM STDIN`),
    );
    await pipeline(Readable.from([text]), copy);
  }
}

const NULL = '\\N';
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in COPY's text format. */
function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
}

const instant = (d: Date | null) => (d ? d.toISOString() : NULL);

function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

function copyLine(e: ListEntry): string {
  return (
    [
      e.id,
      copyText(e.listType),
      copyText(e.ownerDept),
      e.subjectKind,
      copyText(e.subjectId),
      copyText(e.subjectName),
      copyText(textArray(e.subjectLegacyIds)),
      copyText(JSON.stringify(e.relatedPersons)),
      copyText(e.decisionDocumentNo),
      e.decisionDate,
      copyText(e.decisionFacts),
      instant(e.periodFrom),
      instant(e.periodTo),
      e.periodReason === null ? NULL : copyText(e.periodReason),
      e.status,
      instant(e.noticedAt),
      e.noticeChannel ?? NULL,
      instant(e.statementDeadline),
      instant(e.publishedAt),
      copyText(e.createdBy),
      instant(e.createdAt),
      instant(e.updatedAt),
      String(e.version),
    ].join('\t') + '\n'
  );
}
