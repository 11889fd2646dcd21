import { ActiveMeasure } from '../check-decision';

/** A binding row's identity and the version it was written at (`xmin`: the transaction that last wrote it). */
export interface RowVersion {
  id: string;
  version: string;
}

/** A row with the identifiers a check may name it by: its target; a listed subject's legacy codes too. */
export interface KeyedRow extends RowVersion {
  keys: string[];
}

/** A binding row as the index holds it. */
export interface BindingRow extends KeyedRow {
  measure: ActiveMeasure;
}

/** A row written since a watermark, binding or not (a lift makes a row stop binding). */
export interface ChangedRow extends KeyedRow {
  binding: boolean;
}

/** What the backstop learns in one read: the rows written since its watermark, and where it stands now. */
export interface Changes {
  /** every transaction before this one had ended when the rows were read: the next read asks from here */
  watermark: string;
  /**
   * binding rows now, where a deleted row is never listed as changed (a count that differs reveals it);
   * undefined where deletes are listed as rows no longer binding (PostgreSQL: `assignment_removals`)
   */
  bindingRows?: number;
  /** rows written by a transaction at or after the watermark asked from, in no order, at most `limit` */
  rows: ChangedRow[];
  /** more than `limit` rows were written: the caller lists the whole set's versions instead */
  truncated: boolean;
}

/**
 * The part of the binding set a replica holds: the rows whose target falls in one of `owned` of the
 * assignments topic's `partitions` (murmur2 of the target, as Kafka keys records). Undefined: all of it.
 */
export interface IndexScope {
  partitions: number;
  owned: readonly number[];
}

/** Where a whole read of the binding set hands its rows (`MeasureQueries.readBinding`). */
export interface BindingSink {
  /** still wanted: false stops the read at its next batch */
  intact(): boolean;
  /** a batch of rows, in no particular order; false stops the read (too many to hold) */
  rows(batch: BindingRow[]): boolean;
}

/**
 * Rows a page of the paged read holds: each is parsed and indexed in one turn of the event loop, which
 * checks and the lifts' handlers wait behind (a page of 2,000 rows held it ~40 ms on a slow 2-core
 * machine, 500 about 8 ms).
 */
export const PAGE = 500;

/**
 * Everything the check's memory asks PostgreSQL (the truth): an interface so that the index, the miss
 * loader and the backstop are tested against an in-memory table, without a database.
 */
export abstract class MeasureQueries {
  /** Where the next `changedSince` starts: the oldest transaction still running (or the next one). */
  abstract watermark(): Promise<string>;
  /** A page of the whole binding set (of its part in `scope`), by id after `after`. */
  abstract bindingPage(after: string, limit: number, scope?: IndexScope): Promise<BindingRow[]>;
  /**
   * The whole binding set (its part in `scope`), every row handed to `sink` in batches: true once read to
   * its end, false when the sink stopped it. Page by page here; PostgreSQL streams it in one statement.
   */
  readBinding(scope: IndexScope | undefined, sink: BindingSink): Promise<boolean> {
    return readByPages(this, scope, sink);
  }
  /** The binding rows a check may find under any of `keys` (as target, or as a legacy identifier). */
  abstract bindingUnder(keys: readonly string[]): Promise<BindingRow[]>;
  /** Rows written since `watermark` (binding or not, in `scope`), with where to ask from next, in one snapshot. */
  abstract changedSince(watermark: string, limit: number, scope?: IndexScope): Promise<Changes>;
  /** A page of the binding set's row versions only (the backstop's whole listing, after a large change). */
  abstract versionsPage(after: string, limit: number, scope?: IndexScope): Promise<RowVersion[]>;
  /** Those of `ids` that bind, with their identifiers and versions. */
  abstract bindingById(ids: readonly string[]): Promise<KeyedRow[]>;
}

/** Lower than any uuid: the first page starts after it. */
export const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** The binding set read page by page, by id (`bindingPage`): where no stream is to be had (PGlite). */
export async function readByPages(
  queries: MeasureQueries,
  scope: IndexScope | undefined,
  sink: BindingSink,
): Promise<boolean> {
  let after = FIRST_ID;
  for (;;) {
    if (!sink.intact()) return false;
    const page = await queries.bindingPage(after, PAGE, scope);
    if (!sink.intact()) return false;
    if (page.length > 0 && !sink.rows(page)) return false;
    if (page.length < PAGE) return true;
    after = page[page.length - 1].id;
  }
}

/** The identifiers a check may name a binding row by: its target; a listed subject's legacy codes too. */
export function keysOf(row: {
  target_id: string;
  subject_id: string;
  subject_legacy_ids: string[];
}): string[] {
  return row.target_id === row.subject_id ? [row.target_id, ...row.subject_legacy_ids] : [row.target_id];
}
