/** The partitions of the assignments topic one replica holds the index of (decision 0055). */
export interface OwnedPartitions {
  /** the topic's partition count: a key's partition is murmur2(key) % partitions, as Kafka's */
  partitions: number;
  owned: readonly number[];
}

/** Every subject: one replica (the embedded mode, or a deployment that does not split the index). */
export const WHOLE = 'whole' as const;

export type Ownership = OwnedPartitions | typeof WHOLE;

/**
 * Which subjects this replica's index holds, now and after every rebalance. The index follows it:
 * partitions given are read (checks of their subjects go to PostgreSQL until then), partitions taken
 * are dropped. A Nest token: the embedded mode and a single replica hold the whole set (`WholeIndex`);
 * the distributed mode may split it by the Kafka group's assignment (`KafkaIndexOwnership`).
 */
export abstract class IndexOwnership {
  /** Most binding rows this replica holds; beyond, it caches what it is asked about. */
  abstract readonly maxRows: number;
  /** Called at once with the current ownership when known, then at every change. */
  abstract watch(changed: (ownership: Ownership) => void): void;
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** The whole binding set, as before the index was split: 2 M rows at most (decision 0014). */
export class WholeIndex extends IndexOwnership {
  constructor(readonly maxRows = 2_000_000) {
    super();
  }

  watch(changed: (ownership: Ownership) => void): void {
    changed(WHOLE);
  }
}
