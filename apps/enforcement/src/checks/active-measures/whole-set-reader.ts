import { BindingIndex } from './binding-index';
import { IndexScope, MeasureQueries } from './measure-queries';

export { PAGE } from './measure-queries';

export interface WholeSetRead {
  /** still wanted: false stops the read at its next batch (the channel was lost, the service stops) */
  intact: () => boolean;
  /** beyond this many binding rows the replica does not hold them all */
  maxRows: number;
  /** too many rows: the read gave up */
  tooLarge?: (rows: number) => void;
  /** the partitions to read (undefined: all) */
  scope?: IndexScope;
}

/**
 * Reads the whole binding set into a new index (`MeasureQueries.readBinding`: one streamed statement on
 * PostgreSQL, pages on PGlite). The watermark is taken first: a row written by a transaction that had not
 * ended by then is read again by the backstop's first pass, so rows read at different moments still leave
 * nothing out. Undefined when abandoned or too large.
 */
export async function readWholeSet(
  queries: MeasureQueries,
  read: WholeSetRead,
): Promise<BindingIndex | undefined> {
  const index = new BindingIndex(await queries.watermark());
  let rows = 0;
  let tooLarge = false;
  const whole = await queries.readBinding(read.scope, {
    intact: read.intact,
    rows: (batch) => {
      for (const row of batch) index.add(row);
      rows += batch.length;
      tooLarge = rows > read.maxRows;
      return !tooLarge;
    },
  });
  if (tooLarge) {
    read.tooLarge?.(rows);
    return undefined;
  }
  return whole && read.intact() ? index : undefined;
}
