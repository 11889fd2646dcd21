import { decodeCursor, encodeCursor } from './cursor';

/**
 * Paging of a catalogue ordered by its code (departments, list types, memoranda, measures, the
 * allow-list): without `cursor` and `limit` every row, as these routes answered before they paged; with
 * either, `limit` rows (default 100) after the cursor's code. `after` is the code to start after, or
 * undefined; `take` the number of rows to fetch (one more than the page, to know whether there is more).
 */
export function codePageOf(query: { cursor?: string; limit?: number }): {
  paged: boolean;
  after?: string;
  take?: number;
  limit: number;
} {
  const paged = query.cursor !== undefined || query.limit !== undefined;
  const limit = query.limit ?? 100;
  const after = query.cursor ? decodeCursor(query.cursor)[0] : undefined;
  if (query.cursor && typeof after !== 'string') decodeCursor('!'); // throws the cursor's 400
  return { paged, after, take: paged ? limit + 1 : undefined, limit };
}

/** The page and its cursor from the rows fetched with `codePageOf(...).take`. */
export function codePage<R, V>(
  rows: R[],
  page: { paged: boolean; limit: number },
  codeOf: (row: R) => string,
  view: (row: R) => V,
): { items: V[]; nextCursor: string | null } {
  if (!page.paged) return { items: rows.map(view), nextCursor: null };
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(view),
    nextCursor: rows.length > page.limit && last ? encodeCursor([codeOf(last)]) : null,
  };
}
