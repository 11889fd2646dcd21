import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level: the same value always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashedFields {
  eventId: string;
  type: string;
  time: string;
  actorDept: string | null;
  data: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Each record's hash covers its content and the previous record's hash: a change anywhere breaks the chain. */
export function trailHash(previousHash: string, fields: HashedFields): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalJson(fields)).digest('hex');
}
