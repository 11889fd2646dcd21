/** One announcement: identifiers changed, or (`endedEntries`) ended entries to drop from under them. */
export interface Announcement {
  keys: string[];
  endedEntries?: string[];
}

/**
 * An announcement as the channel carries it: the JSON array of the keys (what every replica reads), or an
 * object with the ended entries too — which a replica of an older build fails to read, and answers by
 * reading its whole index again: slower, never wrong.
 */
export function encodeAnnouncement(keys: string[], endedEntries?: string[]): string {
  return JSON.stringify(endedEntries && endedEntries.length > 0 ? { keys, endedEntries } : keys);
}

/** What `encodeAnnouncement` wrote; throws on anything else (the listener then drops everything). */
export function decodeAnnouncement(payload: string): Announcement {
  const parsed: unknown = JSON.parse(payload);
  if (isStrings(parsed)) return { keys: parsed };
  if (typeof parsed === 'object' && parsed !== null) {
    const { keys, endedEntries } = parsed as Record<string, unknown>;
    if (isStrings(keys) && isStrings(endedEntries)) return { keys, endedEntries };
  }
  throw new Error('not an announcement');
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** What a listener of the invalidation channel is told. */
export interface InvalidationListener {
  /** The channel is up: from now on every announcement reaches this listener. */
  connected(): void;
  /** The channel is down: announcements may be missed until `connected` is called again. */
  lost(): void;
  /** An announcement, as `encodeAnnouncement` wrote it. */
  message(payload: string): void;
}

/**
 * How the replicas of enforcement tell each other which cached subjects changed (the check's cache of
 * active measures). Over Redis pub/sub between processes; in memory when one process is the whole
 * platform (the embedded mode).
 */
export abstract class CacheInvalidationChannel {
  abstract listen(listener: InvalidationListener): void;
  /**
   * Tells every listener (this replica's too) to drop `keys`; with `endedEntries`, to drop only those
   * entries' measures from under them (decision 0067).
   */
  abstract announce(keys: string[], endedEntries?: string[]): Promise<void>;
}

/** The embedded mode's channel: one process, so every listener is here and the channel is never down. */
export class InProcessInvalidationChannel extends CacheInvalidationChannel {
  private readonly listeners: InvalidationListener[] = [];

  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
    listener.connected();
  }

  async announce(keys: string[], endedEntries?: string[]): Promise<void> {
    const payload = encodeAnnouncement(keys, endedEntries);
    for (const listener of this.listeners) listener.message(payload);
  }
}
