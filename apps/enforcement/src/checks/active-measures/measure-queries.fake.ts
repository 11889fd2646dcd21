import { ActiveMeasure } from '../check-decision';
import { keyPartition } from './key-partition';
import {
  BindingRow,
  Changes,
  ChangedRow,
  IndexScope,
  KeyedRow,
  MeasureQueries,
  RowVersion,
} from './measure-queries';

/** An assignment row of the in-memory table (what the fake's SQL would see). */
export interface FakeAssignment {
  id: string;
  targetId: string;
  subjectId?: string;
  /** the row's entry: several rows share one (the listed subject's, its related persons'); default: its own */
  entryId?: string;
  legacyIds?: string[];
  status?: 'issued' | 'acknowledged' | 'enforced' | 'lifted';
  mode?: ActiveMeasure['mode'];
}

interface Stored extends Required<FakeAssignment> {
  xid: number;
}

type Method = Exclude<keyof MeasureQueries, 'readBinding'>;

const BINDING = new Set(['issued', 'acknowledged', 'enforced']);

/** Ids that sort like uuids: `rowId(7)` is `00000000-0000-0000-0000-000000000007`. */
export function rowId(n: number): string {
  return `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
}

/**
 * `MeasureQueries` over an in-memory table, for unit tests: every write gets a transaction id as
 * PostgreSQL's xmin would; `begin()` opens a transaction that commits later, to test watermarks against
 * transactions that commit out of order. Counts calls per query.
 */
export class InMemoryMeasureQueries extends MeasureQueries {
  readonly calls: Record<Method, number> = {
    watermark: 0,
    bindingPage: 0,
    bindingUnder: 0,
    changedSince: 0,
    versionsPage: 0,
    bindingById: 0,
  };
  /** the keys of each `bindingUnder` call */
  readonly asked: string[][] = [];
  /** makes the next queries fail */
  failing?: Error;
  /** held before each query answers (tests that need a read to be in flight) */
  gate?: Promise<void>;
  private readonly table = new Map<string, Stored>();
  private nextXid = 100;
  private readonly running = new Set<number>();
  /** the table by id, until the next write */
  private byId?: Stored[];

  /** A committed write (insert or update): the row's version becomes a new transaction id. */
  put(row: FakeAssignment): void {
    this.write(row, this.nextXid++);
  }

  /** Changes a row's status in a committed transaction (a lift, a re-issue). */
  setStatus(id: string, status: Stored['status']): void {
    const row = this.table.get(id);
    if (!row) throw new Error(`no row ${id}`);
    this.put({ ...row, status });
  }

  /** A row deleted (never listed as changed afterwards). */
  delete(id: string): void {
    this.table.delete(id);
    this.byId = undefined;
  }

  /** A transaction that starts now (its id is taken now) and whose write is visible only once committed. */
  begin(): { put: (row: FakeAssignment) => void } {
    const xid = this.nextXid++;
    this.running.add(xid);
    return {
      put: (row) => {
        this.running.delete(xid);
        this.write(row, xid);
      },
    };
  }

  async watermark(): Promise<string> {
    await this.answer('watermark');
    return String(this.snapshotXmin());
  }

  async bindingPage(after: string, limit: number, scope?: IndexScope): Promise<BindingRow[]> {
    await this.answer('bindingPage');
    return this.sorted()
      .filter((r) => BINDING.has(r.status) && r.id > after && inScope(r, scope))
      .slice(0, limit)
      .map(toBindingRow);
  }

  async bindingUnder(keys: readonly string[]): Promise<BindingRow[]> {
    await this.answer('bindingUnder');
    this.asked.push([...keys]);
    const wanted = new Set(keys);
    return this.sorted()
      .filter(
        (r) =>
          BINDING.has(r.status) &&
          (wanted.has(r.targetId) || (r.targetId === r.subjectId && r.legacyIds.some((l) => wanted.has(l)))),
      )
      .map(toBindingRow);
  }

  async changedSince(watermark: string, limit: number, scope?: IndexScope): Promise<Changes> {
    await this.answer('changedSince');
    const since = Number(watermark);
    const changed: ChangedRow[] = this.sorted()
      .filter((r) => r.xid >= since && inScope(r, scope))
      .map((r) => ({ ...keyed(r), binding: BINDING.has(r.status) }));
    return {
      watermark: String(this.snapshotXmin()),
      bindingRows: this.sorted().filter((r) => BINDING.has(r.status) && inScope(r, scope)).length,
      rows: changed.slice(0, limit),
      truncated: changed.length > limit,
    };
  }

  async versionsPage(after: string, limit: number, scope?: IndexScope): Promise<RowVersion[]> {
    await this.answer('versionsPage');
    return this.sorted()
      .filter((r) => BINDING.has(r.status) && r.id > after && inScope(r, scope))
      .slice(0, limit)
      .map((r) => ({ id: r.id, version: String(r.xid) }));
  }

  async bindingById(ids: readonly string[]): Promise<KeyedRow[]> {
    await this.answer('bindingById');
    const wanted = new Set(ids);
    return this.sorted()
      .filter((r) => BINDING.has(r.status) && wanted.has(r.id))
      .map(keyed);
  }

  private write(row: FakeAssignment, xid: number): void {
    this.byId = undefined;
    this.table.set(row.id, {
      id: row.id,
      targetId: row.targetId,
      subjectId: row.subjectId ?? row.targetId,
      entryId: row.entryId ?? `entry-${row.id}`,
      legacyIds: row.legacyIds ?? [],
      status: row.status ?? 'issued',
      mode: row.mode ?? 'block',
      xid,
    });
  }

  private snapshotXmin(): number {
    return this.running.size > 0 ? Math.min(...this.running) : this.nextXid;
  }

  private sorted(): Stored[] {
    this.byId ??= [...this.table.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return this.byId;
  }

  private async answer(method: Method): Promise<void> {
    this.calls[method] += 1;
    await this.gate;
    await Promise.resolve();
    if (this.failing) throw this.failing;
  }
}

function inScope(r: Stored, scope: IndexScope | undefined): boolean {
  return !scope || scope.owned.includes(keyPartition(r.targetId, scope.partitions));
}

function keyed(r: Stored): KeyedRow {
  return {
    id: r.id,
    version: String(r.xid),
    keys: r.targetId === r.subjectId ? [r.targetId, ...r.legacyIds] : [r.targetId],
  };
}

function toBindingRow(r: Stored): BindingRow {
  return { ...keyed(r), measure: measureOf(r) };
}

/** The measure a fake row binds with (block by default). */
export function measureOf(
  r: Pick<Stored, 'id' | 'subjectId' | 'mode'> & { entryId?: string },
): ActiveMeasure {
  return {
    assignmentId: r.id,
    entryId: r.entryId ?? `entry-${r.id}`,
    subjectId: r.subjectId,
    dept: 'FINANCE',
    listType: 'COURT_DEFAULTER',
    listColour: 'red',
    measureCode: 'BAN',
    measureText: 'no procurement',
    mode: r.mode,
    actions: ['government_procurement_bid'],
    legalBasis: 'art. 1',
    from: new Date('2026-01-01T00:00:00Z'),
    until: new Date('2030-01-01T00:00:00Z'),
    targetRole: null,
  };
}
