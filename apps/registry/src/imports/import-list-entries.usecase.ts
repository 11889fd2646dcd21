import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { DataSource, QueryRunner } from 'typeorm';
import { Principal } from '@credit/auth';
import { WorkingCalendar } from '@credit/calendar';
import { ServiceMessaging } from '@credit/messaging';
import { embeddedPostgresOf } from '@credit/persistence';
import { DomainError, ROOT_LOGGER } from '@credit/platform';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { SubjectRegistry } from '../subjects/subject-registry';
import { ImportBatchWriter, ImportTimings } from './import-batch-writer';
import { readHeader } from './import-columns';
import { ImportJob, ImportView, toImportView } from './import-job.entity';
import { ImportCandidate, ImportMode, ImportRejection, ImportRowValidator } from './import-row-validator';
import { csvRecords, ImportFormat, SourceRecord, UploadBody, xlsxRecords } from './import-sources';
import { ListTypeErrors } from '../list-types/list-type.errors';
import { ListEntryErrors } from '../list-entries/list-entry.errors';
import { ImportErrors } from './import.errors';

/** Rows validated and written together; also how often progress is recorded. */
const BATCH_ROWS = 5000;
/** The report keeps this many rejections (all are counted). */
const MAX_REJECTIONS = 1000;

export interface ImportInput {
  listType: string;
  mode: ImportMode;
  importId?: string;
  format: ImportFormat;
  body: AsyncIterable<Buffer | string>;
}

/** Where the time of the last import went (ms), for the benchmark. */
export interface ImportProfile extends ImportTimings {
  rows: number;
  /** reading, parsing and validating, not counting waits for the database */
  parseAndValidate: number;
  /** waiting for the previous batch's writes before handing over the next */
  waitForDatabase: number;
  commit: number;
  total: number;
}

interface Counts {
  total: number;
  accepted: number;
  rejected: number;
}

/**
 * 批量导入: an initiator of the list type's owning department uploads a CSV or XLSX file of decisions.
 * Every row is checked as a single entry would be; valid rows become drafts, or are published at once,
 * in ONE transaction (all or nothing); invalid rows are reported. Progress is recorded on another
 * connection every batch so that the import can be watched while it runs.
 */
@Injectable()
export class ImportListEntriesUseCase {
  lastProfile?: ImportProfile;
  private readonly logger: Logger;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly subjects: SubjectRegistry,
    private readonly calendar: WorkingCalendar,
    private readonly documents: IssueDocumentsJob,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'registry', component: 'import' });
  }

  async execute(principal: Principal, input: ImportInput, now = new Date()): Promise<ImportView> {
    const started = performance.now();
    const listType = await this.db.getRepository(ListType).findOneBy({ code: input.listType });
    if (!listType) {
      throw new DomainError({
        error: ListTypeErrors.NOT_FOUND_IN_REQUEST,
        detail: `list type ${input.listType} does not exist`,
        field: 'listType',
      });
    }
    if (listType.ownerDept !== principal.dept) {
      throw new DomainError({
        error: ListEntryErrors.NOT_OWNER,
        detail: `list type ${listType.code} is owned by ${listType.ownerDept}; ${principal.dept} may not list on it`,
      });
    }
    const id = await this.startJob(principal, listType, input);
    const embedded = embeddedPostgresOf(this.db);
    const progress = new ImportProgress(this.db, id, this.logger, embedded !== undefined);
    const counts: Counts = { total: 0, accepted: 0, rejected: 0 };
    const rejections: ImportRejection[] = [];
    const profile: ImportProfile = {
      rows: 0,
      parseAndValidate: 0,
      waitForDatabase: 0,
      overlap: 0,
      subjects: 0,
      entries: 0,
      outbox: 0,
      documents: 0,
      commit: 0,
      total: 0,
    };
    const upload = new UploadBody(input.body);
    let runner: QueryRunner | undefined;
    let writing: Promise<void> = Promise.resolve();
    try {
      const source = input.format === 'csv' ? csvRecords(upload.chunks()) : xlsxRecords(upload.chunks());
      const records = source[Symbol.asyncIterator]();
      let header: SourceRecord | undefined;
      let first: SourceRecord[] = [];
      while (!header) {
        const next = await records.next();
        if (next.done) break;
        const at = next.value.findIndex((r) => !isBlank(r.cells));
        if (at >= 0) {
          header = next.value[at];
          first = next.value.slice(at + 1);
        }
      }
      const columns = readHeader(header?.cells);
      const headerIndex = header!.index;
      const validator = new ImportRowValidator(columns, {
        listType,
        mode: input.mode,
        createdBy: principal.sub,
        subjects: this.subjects,
        allowList: await this.subjects.loadAllowList(),
        calendar: this.calendar,
        now,
      });

      runner = this.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
      const writer = new ImportBatchWriter(
        client,
        runner.manager,
        this.messaging.outbox,
        listType,
        input.mode,
        principal.dept,
        now,
        embedded,
      );

      let candidates: ImportCandidate[] = [];
      let refused: ImportRejection[] = [];
      const report = (batch: ImportRejection[]) => {
        counts.rejected += batch.length;
        for (const r of batch) if (rejections.length < MAX_REJECTIONS) rejections.push(r);
      };
      // one batch is written while the next is read and validated
      const flush = async () => {
        const batch = candidates;
        const early = refused;
        candidates = [];
        refused = [];
        const waitStarted = performance.now();
        await writing;
        profile.waitForDatabase += performance.now() - waitStarted;
        writing = (async () => {
          const late: ImportRejection[] = [];
          counts.accepted += await writer.write(batch, (r) => late.push(r));
          report(late.length > 0 ? [...early, ...late].sort((a, b) => a.row - b.row) : early);
          progress.report(counts);
        })();
        writing.catch(() => undefined); // awaited by the next flush or below
      };
      const take = async (batch: SourceRecord[]) => {
        for (const record of batch) {
          if (isBlank(record.cells)) continue;
          counts.total += 1;
          const result = validator.validate(record.index - headerIndex, record.cells);
          if ('entry' in result) candidates.push(result);
          else refused.push(result);
          if (candidates.length + refused.length >= BATCH_ROWS) await flush();
        }
      };

      const loopStarted = performance.now();
      await take(first);
      for (;;) {
        const next = await records.next();
        if (next.done) break;
        await take(next.value);
      }
      await flush();
      profile.parseAndValidate = performance.now() - loopStarted - profile.waitForDatabase;
      const waitStarted = performance.now();
      await writing;
      profile.waitForDatabase += performance.now() - waitStarted;

      await progress.stop();
      const commitStarted = performance.now();
      // completed if and only if the rows are: the job row is finished inside the import's transaction
      await runner.query(
        `UPDATE registry.imports SET status = 'completed', total = $2, accepted = $3, rejected = $4,
           rejections = $5::jsonb, finished_at = now() WHERE id = $1`,
        [id, counts.total, counts.accepted, counts.rejected, JSON.stringify(rejections)],
      );
      await runner.commitTransaction();
      profile.commit = performance.now() - commitStarted;
      if (input.mode === 'publish' && counts.accepted > 0) {
        this.documents.wake();
      }
      Object.assign(profile, writer.timings, { rows: counts.total, total: performance.now() - started });
      this.lastProfile = profile;
      this.logger.info(
        {
          importId: id,
          dept: principal.dept,
          listType: listType.code,
          mode: input.mode,
          ...counts,
          ms: Math.round(profile.total),
        },
        'list entries imported',
      );
    } catch (err) {
      upload.discardRest();
      await writing.catch(() => undefined);
      if (runner?.isTransactionActive) {
        await runner
          .rollbackTransaction()
          .catch((e: unknown) => this.logger.warn({ err: e }, 'rollback failed'));
      }
      // before the failure is recorded on another connection (the embedded database has only this one)
      await runner?.release();
      runner = undefined;
      await progress.stop();
      const failure = this.asDomainError(err);
      await this.db
        .query(
          `UPDATE registry.imports SET status = 'failed', error = $2, total = $3, accepted = 0, rejected = $4,
             finished_at = now() WHERE id = $1`,
          [id, `${failure.code}: ${failure.message}`, counts.total, counts.rejected],
        )
        .catch((e: unknown) =>
          this.logger.error({ err: e, importId: id }, 'could not mark the import failed'),
        );
      if (failure.status >= 500)
        this.logger.error({ err, importId: id }, 'import failed; nothing was stored');
      throw failure;
    } finally {
      await runner?.release();
    }
    return toImportView(await this.db.getRepository(ImportJob).findOneByOrFail({ id }));
  }

  private async startJob(principal: Principal, listType: ListType, input: ImportInput): Promise<string> {
    const id = input.importId ?? randomUUID();
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO registry.imports (id, owner_dept, list_type, mode, status, created_by)
       VALUES ($1, $2, $3, $4, 'running', $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, listType.ownerDept, listType.code, input.mode, principal.sub],
    );
    if (inserted.length === 0)
      throw new DomainError({
        error: ImportErrors.ALREADY_EXISTS,
        detail: `an import with id ${id} already exists`,
      });
    return id;
  }

  private asDomainError(err: unknown): DomainError {
    if (err instanceof DomainError) return err;
    if ((err as { constraint?: unknown }).constraint === 'list_entries_no_overlap') {
      return new DomainError({
        error: ListEntryErrors.OVERLAPPING,
        detail:
          'a subject was put in force on this list for an overlapping period while the import ran; nothing was imported (同一主体同类名单期间重叠)',
      });
    }
    return new DomainError({
      error: ImportErrors.FAILED,
      detail: 'the import failed and nothing was stored (导入失败，未保存任何数据); its record says why',
    });
  }
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * Writes the running counts on a connection of its own (outside the import's transaction), one at a time.
 * The embedded database has one connection, held by the import until it commits: no progress there.
 */
class ImportProgress {
  private chain: Promise<void> = Promise.resolve();
  private latest?: Counts;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly id: string,
    private readonly logger: Logger,
    private readonly oneSession = false,
  ) {}

  report(counts: Counts): void {
    if (this.stopped || this.oneSession) return;
    const pending = this.latest !== undefined;
    this.latest = { ...counts };
    if (pending) return; // the queued write will take the newest counts
    this.chain = this.chain.then(async () => {
      const c = this.latest!;
      this.latest = undefined;
      await this.db
        .query(
          `UPDATE registry.imports SET total = $2, accepted = $3, rejected = $4 WHERE id = $1 AND status = 'running'`,
          [this.id, c.total, c.accepted, c.rejected],
        )
        .catch((err: unknown) => this.logger.warn({ err, importId: this.id }, 'progress not recorded'));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
  }
}
