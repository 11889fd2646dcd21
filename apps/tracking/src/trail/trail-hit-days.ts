import { EntityManager } from 'typeorm';
import { chinaIsoDate } from '@credit/calendar';
import { CheckHitV1, CloudEvent } from '@credit/contracts';

/** What makes a hit the first of its day in the trail (decision 0082). */
export interface HitDayKey {
  entryId: string;
  /** the Beijing date of the event's time, YYYY-MM-DD */
  day: string;
  dept: string;
  action: string;
  decision: string;
}

/** A hit's key in `tracking.trail_hit_days`. */
export function hitDayKey(event: CloudEvent<Record<string, unknown>>): HitDayKey {
  const d = event.data as unknown as CheckHitV1;
  return {
    entryId: d.entryId.toLowerCase(),
    day: chinaIsoDate(new Date(event.time)),
    dept: d.dept,
    action: d.action,
    decision: d.decision,
  };
}

const idOf = (k: HitDayKey) => `${k.entryId}|${k.day}|${k.dept}|${k.action}|${k.decision}`;

/** The first hit of each key in a run, in the run's order. */
export function firstOfEachKey<T extends { event: CloudEvent<Record<string, unknown>> }>(
  hits: T[],
): { hit: T; key: HitDayKey }[] {
  const byKey = new Map<string, { hit: T; key: HitDayKey }>();
  for (const hit of hits) {
    const key = hitDayKey(hit.event);
    if (!byKey.has(idOf(key))) byKey.set(idOf(key), { hit, key });
  }
  return [...byKey.values()];
}

/**
 * The hits of a run that are the first of their entry, checking department, action, decision and Beijing
 * day, in the run's order: one of each key in the run, and none whose key a stored row already names.
 * The rows are written here, in the transaction that stores the trail records, so a redelivered run
 * finds its keys taken.
 */
export async function firstHitsOfTheDay<T extends { event: CloudEvent<Record<string, unknown>> }>(
  manager: EntityManager,
  hits: T[],
): Promise<T[]> {
  const firsts = firstOfEachKey(hits);
  if (firsts.length === 0) return [];
  const keys = firsts.map((f) => f.key);
  const taken: HitDayKey[] = await manager.query(
    `INSERT INTO tracking.trail_hit_days (entry_id, day, dept, action, decision)
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT DO NOTHING
     RETURNING entry_id AS "entryId", to_char(day, 'YYYY-MM-DD') AS day, dept, action, decision`,
    [
      keys.map((k) => k.entryId),
      keys.map((k) => k.day),
      keys.map((k) => k.dept),
      keys.map((k) => k.action),
      keys.map((k) => k.decision),
    ],
  );
  const ids = new Set(taken.map(idOf));
  return firsts.filter((f) => ids.has(idOf(f.key))).map((f) => f.hit);
}
