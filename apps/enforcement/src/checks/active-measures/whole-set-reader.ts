import { BindingIndex } from './binding-index';
import { FIRST_ID, IndexScope, MeasureQueries } from './measure-queries';

/**
 * Small pages: each is parsed and indexed in one turn of the event loop, which checks and the lifts'
 * handlers wait behind (a page of 2,000 rows held it ~40 ms on a slow 2-core machine, 500 about 8 ms).
 */
export const PAGE = 500;

export interface WholeSetRead {
  /** still wanted: false stops the read at its next page (the channel was lost, the service stops) */
  intact: () => boolean;
  /** beyond this many binding rows the replica does not hold them all */
  maxRows: number;
  /** too many rows: the read gave up */
  tooLarge?: (rows: number) => void;
  /** the partitions to read (undefined: all) */
  scope?: IndexScope;
}

/**
 * Reads the whole binding set into a new index, page by page. The watermark is taken first: a row
 * written by a transaction that had not ended by then is read again by the backstop's first pass, so
 * pages read at different moments still leave nothing out. Undefined when abandoned or too large.
 */
export async function readWholeSet(
  queries: MeasureQueries,
  read: WholeSetRead,
): Promise<BindingIndex | undefined> {
  const index = new BindingIndex(await queries.watermark());
  let after = FIRST_ID;
  let rows = 0;
  for (;;) {
    if (!read.intact()) return undefined;
    const page = await queries.bindingPage(after, PAGE, read.scope);
    if (!read.intact()) return undefined;
    for (const row of page) index.add(row);
    rows += page.length;
    if (rows > read.maxRows) {
      read.tooLarge?.(rows);
      return undefined;
    }
    if (page.length < PAGE) return index;
    after = page[page.length - 1].id;
  }
}
