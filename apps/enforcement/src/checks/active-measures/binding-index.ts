import { ActiveMeasure } from '../check-decision';
import { BindingRow, ChangedRow, KeyedRow, RowVersion } from './measure-queries';

const NONE: ActiveMeasure[] = [];

/** A row the index was read from: the version it was read at and the identifiers it is held under. */
interface HeldRow {
  version: string;
  keys: string[];
  /** the last whole listing that found it */
  seen: number;
}

/**
 * The complete index: every binding row by the identifiers a check may name it by, the version each row
 * was read at, and the dirty set — identifiers changed since they were read, answered from PostgreSQL
 * until read again. Pure: no I/O, no timers; the reads that fill it are the caller's.
 */
export class BindingIndex {
  private readonly byKey = new Map<string, ActiveMeasure[]>();
  /**
   * Every key each entry has a measure under (the listed subject's identifiers, and each related person's):
   * what an end drops at once (decision 0067). Kept with `byKey`: every write to it goes through `setKey`.
   */
  private readonly byEntry = new Map<string, Set<string>>();
  private readonly held = new Map<string, HeldRow>();
  /** identifiers changed since they were read, with the version of their latest change */
  private readonly dirty = new Map<string, number>();
  private version = 0;
  private listings = 0;

  /** @param watermark where the backstop asks for changes from: the rows held are exact as of it */
  constructor(public watermark: string) {}

  /** Identifiers the index answers for. */
  get size(): number {
    return this.byKey.size;
  }

  /** Binding rows held. */
  get rows(): number {
    return this.held.size;
  }

  /** The entries the index holds measures of, and the keys it holds them under in all (docs/scale.md). */
  get entryShape(): { entries: number; keys: number } {
    let keys = 0;
    for (const set of this.byEntry.values()) keys += set.size;
    return { entries: this.byEntry.size, keys };
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** A row of the whole read, under each of its identifiers. */
  add(row: BindingRow): void {
    this.held.set(row.id, { version: row.version, keys: row.keys, seen: this.listings });
    for (const key of row.keys) this.push(key, [row.measure]);
  }

  /** The binding measures of `key`, or undefined when it changed since it was read (ask PostgreSQL). */
  known(key: string): ActiveMeasure[] | undefined {
    if (this.dirty.has(key)) return undefined;
    return this.byKey.get(key) ?? NONE;
  }

  markDirty(keys: Iterable<string>): void {
    for (const key of keys) this.dirty.set(key, ++this.version);
  }

  /**
   * The measures of ended entries dropped at once (decision 0067) from under `keys` and every other key
   * the index holds them under (a related person's): an end is final, and it changes nothing else that
   * binds under a key, so the key is answered from memory without a read. Returns the keys dropped from.
   * A dirty key is marked again instead: a read of it under way may have begun before the end was
   * written, and must not be applied. The rows stay held at their versions: the backstop finds them
   * rewritten and reads their identifiers again, which confirms the drop against PostgreSQL.
   */
  dropEnded(entryIds: ReadonlySet<string>, keys: Iterable<string>): Set<string> {
    // the keys named (the listed subject's), and every other the index holds the entries under: a
    // related person's, which the end's event does not name
    const all = new Set(keys);
    for (const entryId of entryIds) for (const key of this.byEntry.get(entryId) ?? []) all.add(key);
    for (const key of all) {
      if (this.dirty.has(key)) {
        this.dirty.set(key, ++this.version);
        continue;
      }
      const list = this.byKey.get(key);
      if (!list || !list.some((m) => entryIds.has(m.entryId))) continue;
      this.setKey(
        key,
        list.filter((m) => !entryIds.has(m.entryId)),
      );
    }
    return all;
  }

  /** The keys the index holds a measure of `entryId` under (for tests and diagnosis). */
  keysOfEntry(entryId: string): string[] {
    return [...(this.byEntry.get(entryId) ?? [])];
  }

  /** Up to `max` dirty identifiers with the version of their latest change, to be read again. */
  takeDirty(max: number): Map<string, number> {
    const taken = new Map<string, number>();
    for (const entry of this.dirty) {
      if (taken.size >= max) break;
      taken.set(entry[0], entry[1]);
    }
    return taken;
  }

  /**
   * The binding rows read for `taken` put in place: an identifier leaves the dirty set only if it did not
   * change again meanwhile. A row counts as held at the version read only if the index now has it under
   * every identifier; otherwise at none, so that the backstop marks them all when it sees the row.
   */
  applyReload(taken: Map<string, number>, rows: BindingRow[]): void {
    const fresh = new Map<string, ActiveMeasure[]>();
    for (const row of rows) {
      for (const key of row.keys) {
        const list = fresh.get(key);
        if (list) list.push(row.measure);
        else fresh.set(key, [row.measure]);
      }
    }
    const applied = new Set<string>();
    for (const [key, version] of taken) {
      if (this.dirty.get(key) !== version) continue;
      this.setKey(key, fresh.get(key));
      this.dirty.delete(key);
      applied.add(key);
    }
    for (const row of rows) {
      const whole = row.keys.every((key) => applied.has(key));
      this.held.set(row.id, { version: whole ? row.version : '', keys: row.keys, seen: this.listings });
    }
  }

  /**
   * Rows written since the watermark compared with what is held: the identifiers of every row whose
   * version differs — changed, new, or no longer binding — under its old identifiers and its new ones.
   * Held versions follow the rows (the caller marks the identifiers dirty, which reads them again).
   */
  compareChanged(rows: ChangedRow[]): Set<string> {
    const suspect = new Set<string>();
    for (const row of rows) {
      const held = this.held.get(row.id);
      if (held && row.binding && held.version === row.version) continue;
      if (!held && !row.binding) continue; // never held, still not binding
      for (const key of held?.keys ?? []) suspect.add(key);
      for (const key of row.keys) suspect.add(key);
      if (row.binding) this.held.set(row.id, { version: row.version, keys: row.keys, seen: this.listings });
      else this.held.delete(row.id);
    }
    return suspect;
  }

  /** A whole listing of the binding set's versions begins (after many changes, or a delete). */
  beginListing(): number {
    return ++this.listings;
  }

  /** One page of a listing: the ids written since they were read (their identifiers are then asked). */
  listed(page: RowVersion[], listing: number): string[] {
    const written: string[] = [];
    for (const { id, version } of page) {
      const row = this.held.get(id);
      if (row && row.version === version) row.seen = listing;
      else written.push(id);
    }
    return written;
  }

  /** The identifiers of rows written since they were read, old and new; `fresh` are those still binding. */
  rewritten(written: string[], fresh: KeyedRow[], listing: number): Set<string> {
    const suspect = new Set<string>();
    for (const id of written) for (const key of this.held.get(id)?.keys ?? []) suspect.add(key);
    for (const row of fresh) {
      for (const key of row.keys) suspect.add(key);
      this.held.set(row.id, { version: row.version, keys: row.keys, seen: listing });
    }
    return suspect;
  }

  /** The listing is over: rows held but not listed no longer bind (deleted); their identifiers. */
  endListing(listing: number): Set<string> {
    const suspect = new Set<string>();
    for (const [id, row] of this.held) {
      if (row.seen === listing) continue;
      for (const key of row.keys) suspect.add(key);
      this.held.delete(id);
    }
    return suspect;
  }

  /**
   * Another index's rows (partitions read after this one: their keys are not held here) taken in. The
   * watermark becomes the older of the two, so that the backstop reads what either may have missed.
   */
  absorb(other: BindingIndex): void {
    for (const [id, row] of other.held) this.held.set(id, row);
    for (const [key, measures] of other.byKey) this.push(key, measures);
    if (BigInt(other.watermark) < BigInt(this.watermark)) this.watermark = other.watermark;
  }

  /** Drops the rows whose target (their first identifier) `leaves` says this index no longer holds. */
  dropWhere(leaves: (target: string) => boolean): number {
    let dropped = 0;
    for (const [id, row] of this.held) {
      if (!leaves(row.keys[0])) continue;
      for (const key of row.keys) {
        this.setKey(key, undefined);
        this.dirty.delete(key);
      }
      this.held.delete(id);
      dropped += 1;
    }
    return dropped;
  }

  /** `measures` added under `key`, and the key under each of their entries. */
  private push(key: string, measures: ActiveMeasure[]): void {
    const list = this.byKey.get(key);
    if (list) list.push(...measures);
    else this.byKey.set(key, [...measures]);
    for (const m of measures) this.link(m.entryId, key);
  }

  /** `key`'s measures replaced (none: the key dropped); an entry left with no measure under it unlinked. */
  private setKey(key: string, measures: ActiveMeasure[] | undefined): void {
    const old = this.byKey.get(key);
    const next = measures && measures.length > 0 ? measures : undefined;
    if (next) this.byKey.set(key, next);
    else this.byKey.delete(key);
    const kept = new Set<string>();
    for (const m of next ?? []) {
      kept.add(m.entryId);
      this.link(m.entryId, key);
    }
    for (const m of old ?? []) {
      if (kept.has(m.entryId)) continue;
      const keys = this.byEntry.get(m.entryId);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byEntry.delete(m.entryId);
    }
  }

  private link(entryId: string, key: string): void {
    const keys = this.byEntry.get(entryId);
    if (keys) keys.add(key);
    else this.byEntry.set(entryId, new Set([key]));
  }
}
