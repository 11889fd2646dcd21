/** Settings of 公示 and its feed (RegistryConfig's PUBLIC_* and PUBLICATION_*). */
export interface PublicationOptions {
  /** how long a public answer is served from memory (ms); an ended entry disappears within this */
  cacheTtlMs: number;
  /** how many public answers are kept (0: none) */
  cacheMaxEntries: number;
  /** how often committed feed changes get their position (ms; 0: only when the feed is pulled) */
  feedSequenceIntervalMs: number;
  /** how long an external platform has to acknowledge a withdrawal before reconciliation shows it (ms) */
  ackGraceMs: number;
}

export const PUBLICATION_OPTIONS = Symbol('PUBLICATION_OPTIONS');

export function publicationOptions(given: Partial<PublicationOptions> = {}): PublicationOptions {
  return {
    cacheTtlMs: given.cacheTtlMs ?? 20_000,
    cacheMaxEntries: given.cacheMaxEntries ?? 1_000,
    feedSequenceIntervalMs: given.feedSequenceIntervalMs ?? 250,
    ackGraceMs: given.ackGraceMs ?? 900_000,
  };
}
