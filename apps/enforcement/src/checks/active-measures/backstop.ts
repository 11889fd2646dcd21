import { BindingIndex } from './binding-index';
import { FIRST_ID, IndexScope, MeasureQueries } from './measure-queries';
import { PAGE } from './whole-set-reader';

/** More rows written since the last pass than this: the pass lists the whole set's versions instead. */
export const MAX_CHANGED = 5_000;
/** A whole listing is spread over this long (a page at a time): it never holds the event loop for long. */
const LISTING_SPREAD_MS = 15_000;

export interface BackstopPass {
  /** false once the index was replaced or dropped: the pass stops and changes nothing */
  intact: () => boolean;
  /** the identifiers of rows written since they were read: marked dirty by the caller */
  mark: (keys: Set<string>) => void;
  /** the partitions the index holds (undefined: all) */
  scope?: IndexScope;
}

/** How a pass went. */
export type PassOutcome = 'abandoned' | 'changes' | 'listed' | 'nothing';

/**
 * The backstop for an announcement never made (a replica that died between its commit and its
 * announcement): every row written since the index's watermark — by anyone, announced or not — is
 * compared with the version the index holds, and a row that differs makes its identifiers dirty, as an
 * announcement does. One statement reads the rows written since the watermark (the cost follows the
 * changes, not the set) with the binding set's size; only when too many rows changed, or the size shows
 * a row deleted (never listed as changed), does a pass list the whole set's versions, a page at a time.
 */
export class Backstop {
  /** whether an identifier was announced (or marked by a pass) since the last pass began */
  private announcedSince = false;
  private unchanged = 0;

  constructor(
    private readonly queries: MeasureQueries,
    private readonly maxChanged = MAX_CHANGED,
    private readonly spreadMs = LISTING_SPREAD_MS,
  ) {}

  /** Passes that found nothing written behind the index's back, with no announcement since the last. */
  get unchangedPasses(): number {
    return this.unchanged;
  }

  /** An identifier was announced (or a pass marked one): the next pass does not count as unchanged. */
  announced(): void {
    this.announcedSince = true;
  }

  /** A new index is being read: passes are counted from here. */
  restart(): void {
    this.announcedSince = false;
  }

  async pass(index: BindingIndex, run: BackstopPass): Promise<PassOutcome> {
    const quiet = !this.announcedSince;
    this.announcedSince = false;
    const outcome = await this.compare(index, run);
    if (outcome === 'abandoned') this.announcedSince = true; // the next pass is not compared with this one
    if (outcome === 'nothing' && quiet) this.unchanged += 1;
    return outcome;
  }

  private async compare(index: BindingIndex, run: BackstopPass): Promise<PassOutcome> {
    const changes = await this.queries.changedSince(index.watermark, this.maxChanged, run.scope);
    if (!run.intact()) return 'abandoned';
    if (!changes.truncated) {
      const suspect = index.compareChanged(changes.rows);
      if (suspect.size > 0) run.mark(suspect);
      // deletes listed as rows, or none hidden: the count of rows held agrees
      if (changes.bindingRows === undefined || index.rows === changes.bindingRows) {
        index.watermark = changes.watermark;
        return suspect.size > 0 ? 'changes' : 'nothing';
      }
    }
    // the watermark was taken before the listing: whatever it misses, the next pass reads
    if (!(await this.listAll(index, run))) return 'abandoned';
    index.watermark = changes.watermark;
    return 'listed';
  }

  /** Every binding row's version compared with the one held: O(set), after many changes or a delete. */
  private async listAll(index: BindingIndex, run: BackstopPass): Promise<boolean> {
    const listing = index.beginListing();
    const pause = (this.spreadMs * PAGE) / Math.max(index.rows, PAGE);
    let after = FIRST_ID;
    for (let pages = 0; ; pages += 1) {
      if (pages > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause).unref());
      if (!run.intact()) return false;
      const versions = await this.queries.versionsPage(after, PAGE, run.scope);
      if (!run.intact()) return false;
      const written = index.listed(versions, listing);
      if (written.length > 0) {
        const fresh = await this.queries.bindingById(written);
        if (!run.intact()) return false;
        const suspect = index.rewritten(written, fresh, listing);
        if (suspect.size > 0) run.mark(suspect);
      }
      if (versions.length < PAGE) break;
      after = versions[versions.length - 1].id;
    }
    const gone = index.endListing(listing);
    if (gone.size > 0) run.mark(gone);
    return true;
  }
}
