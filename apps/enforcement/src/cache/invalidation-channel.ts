/** What a listener of the invalidation channel is told. */
export interface InvalidationListener {
  /** The channel is up: from now on every announcement reaches this listener. */
  connected(): void;
  /** The channel is down: announcements may be missed until `connected` is called again. */
  lost(): void;
  /** An announcement: the JSON array of the keys to drop. */
  message(payload: string): void;
}

/**
 * How the replicas of enforcement tell each other which cached subjects changed (the check's cache of
 * active measures). Over Redis pub/sub between processes; in memory when one process is the whole
 * platform (the embedded mode).
 */
export abstract class CacheInvalidationChannel {
  abstract listen(listener: InvalidationListener): void;
  /** Tells every listener (this replica's too) to drop `keys`. */
  abstract announce(keys: string[]): Promise<void>;
}

/** The embedded mode's channel: one process, so every listener is here and the channel is never down. */
export class InProcessInvalidationChannel extends CacheInvalidationChannel {
  private readonly listeners: InvalidationListener[] = [];

  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
    listener.connected();
  }

  async announce(keys: string[]): Promise<void> {
    const payload = JSON.stringify(keys);
    for (const listener of this.listeners) listener.message(payload);
  }
}
