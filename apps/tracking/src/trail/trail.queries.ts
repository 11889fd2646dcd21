import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isSupervisor, Principal, supervises } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';
import { GENESIS_HASH, trailHash } from './trail-hash';
import { compareTrailOrder, trailRank } from './trail-order';
import { TrailErrors } from './trail.errors';

interface LoadedRecord {
  event_id: string;
  type: string;
  time: Date;
  actor_dept: string | null;
  data: Record<string, unknown>;
  recorded_at: Date;
  position: number | null;
  prev_hash: string | null;
  hash: string | null;
  late: boolean | null;
  sealed_at: Date | null;
}

export interface LoadedSeal {
  position: number;
  event_id: string;
  prev_hash: string;
  hash: string;
  type: string | null;
  time: Date | null;
  actor_dept: string | null;
  data: Record<string, unknown> | null;
}

/** The trail of one entry and the proof that it was not altered (decision 0011). */
@Injectable()
export class TrailQueries {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  /**
   * Every event about the entry, across services, in the canonical order: by the event's time, causes
   * before effects at the same time, then event id. Sealed records come in their chain's order with
   * their position and hash; records not sealed yet follow, without a hash.
   */
  async trail(principal: Principal, id: string) {
    const records = await this.load(id);
    await this.assertMayRead(principal, records);
    return {
      entryId: id,
      items: records.map((r) => ({
        position: r.position,
        eventId: r.event_id,
        type: r.type,
        time: r.time.toISOString(),
        actorDept: r.actor_dept,
        data: r.data,
        hash: r.hash,
        prevHash: r.prev_hash,
        sealed: r.position !== null,
        ...(r.late ? { late: true } : {}),
        // an event the trail could not read or store as it came, kept escaped (decision 0018)
        ...(r.data?.opaque === true ? { opaque: true } : {}),
        recordedAt: r.recorded_at.toISOString(),
        sealedAt: r.sealed_at?.toISOString() ?? null,
      })),
      nextCursor: null,
    };
  }

  /** Recomputes the sealed chain; names the first seal whose record, link or content no longer matches. */
  async verify(principal: Principal, id: string) {
    const records = await this.load(id);
    await this.assertMayRead(principal, records);
    const seals = await loadSeals(this.db, id);
    const redacted: { event_id: string }[] = await this.db.query(
      `SELECT event_id FROM tracking.trail_redactions WHERE entry_id = $1`,
      [id],
    );
    const summary = {
      entryId: id,
      records: records.length,
      sealed: seals.length,
      unsealed: records.filter((r) => r.position === null).length,
      ...(redacted.length ? { redacted: redacted.length } : {}),
    };
    const broken = verifySeals(seals, new Set(redacted.map((r) => r.event_id)));
    return broken ? { ...summary, valid: false, ...broken } : { ...summary, valid: true, firstBroken: null };
  }

  private async load(id: string): Promise<LoadedRecord[]> {
    const records: LoadedRecord[] = await this.db.query(
      `SELECT r.event_id, r.type, r.time, r.actor_dept, r.data, r.recorded_at,
         s.position, s.prev_hash, s.hash, s.late, s.sealed_at
       FROM tracking.trail_records r LEFT JOIN tracking.trail_seals s ON s.event_id = r.event_id
       WHERE r.entry_id = $1`,
      [id],
    );
    if (records.length === 0)
      throw new DomainError({ error: TrailErrors.NOT_FOUND, detail: `no trail for list entry ${id}` });
    const key = (r: LoadedRecord) => ({ time: r.time, rank: trailRank(r.type), eventId: r.event_id });
    // sealed: in the chain's order; then the rest in the canonical order
    return records.sort((a, b) =>
      a.position !== null && b.position !== null
        ? a.position - b.position
        : a.position !== null
          ? -1
          : b.position !== null
            ? 1
            : compareTrailOrder(key(a), key(b)),
    );
  }

  /**
   * The trail holds every department's feedback on the entry: the owning department reads it, and
   * supervisors of the owner's region (every region without a region claim); others are told it does
   * not exist (decision 0020).
   */
  private async assertMayRead(principal: Principal, records: LoadedRecord[]): Promise<void> {
    const owner = records.find((r) => typeof r.data.ownerDept === 'string')?.data.ownerDept as
      string | undefined;
    if (owner !== undefined && owner === principal.dept) return;
    if (isSupervisor(principal)) {
      if (principal.region === undefined) return;
      const [row]: { region: string }[] = owner
        ? await this.db.query('SELECT region FROM tracking.department_regions WHERE dept = $1', [owner])
        : [];
      if (supervises(principal, row?.region)) return;
    }
    throw new DomainError({ error: TrailErrors.NOT_FOUND, detail: 'no trail for this list entry' });
  }
}

/** The sealed chain of an entry, each seal with its record's hashed fields. */
export function loadSeals(db: { query(sql: string, params: unknown[]): Promise<unknown> }, id: string) {
  return db.query(
    `SELECT s.position, s.event_id, s.prev_hash, s.hash, r.type, r.time, r.actor_dept, r.data
     FROM tracking.trail_seals s LEFT JOIN tracking.trail_records r ON r.event_id = s.event_id
     WHERE s.entry_id = $1 ORDER BY s.position`,
    [id],
  ) as Promise<LoadedSeal[]>;
}

/**
 * The first seal whose record, link or content does not match; null when the chain verifies. A redacted
 * record (anonymised, decision 0021) keeps its place and links, but its content no longer gives its hash:
 * its content was verified when it was redacted, and its links are still checked.
 */
export function verifySeals(
  seals: LoadedSeal[],
  redacted: ReadonlySet<string> = new Set(),
): { firstBroken: { position: number; eventId: string; type: string | null }; reason: string } | null {
  let previous = GENESIS_HASH;
  for (const [i, s] of seals.entries()) {
    const broken = (reason: string) => ({
      firstBroken: { position: s.position, eventId: s.event_id, type: s.type },
      reason,
    });
    if (s.position !== i + 1) return broken('a sealed record before this one is missing');
    if (s.type === null || s.time === null) return broken('the sealed record is missing');
    if (s.prev_hash !== previous) return broken('link to the previous record does not match');
    if (!redacted.has(s.event_id)) {
      const expected = trailHash(previous, {
        eventId: s.event_id,
        type: s.type,
        time: s.time.toISOString(),
        actorDept: s.actor_dept,
        data: s.data,
      });
      if (s.hash !== expected) return broken('content does not match its hash');
    }
    previous = s.hash;
  }
  return null;
}
