/**
 * The messaging port. Services publish and consume through it; the Kafka adapter serves the distributed
 * mode and an in-process adapter the embedded one. Guarantees every adapter must give (and the
 * contract tests check): records with the same key are delivered in the order published; each consumer
 * group gets every record; a record is delivered again when its handler fails (at-least-once), and its
 * offset is committed only after the handler resolved. A group subscribing for the first time starts at
 * the oldest record kept. `test/messaging/bus-contract.ts` runs the same tests against every adapter.
 */
export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
}

export interface SubscribeOptions {
  /** Consumer group: every group receives every record; members of one group share partitions. */
  groupId: string;
  topics: string[];
  /** Called for one record at a time per partition; the record counts as consumed once it resolves. */
  handle: (record: IncomingRecord) => Promise<void>;
  /**
   * When given, called instead of `handle` with consecutive records of one partition (in order, at most
   * `maxBatch`); they count as consumed once it resolves. Lets a consumer apply many records in one
   * database transaction.
   */
  handleBatch?: (records: IncomingRecord[]) => Promise<void>;
  maxBatch?: number;
  /** Partitions handled in parallel (order is kept within each). */
  concurrency?: number;
  /**
   * Called after each join of the group (the first and every rebalance) with the partitions this member
   * now holds, per topic, and each topic's partition count. Adapters that cannot tell never call it.
   */
  onAssigned?: (assignment: TopicAssignment[]) => void;
  /**
   * Keep partitions where they are across rebalances, moving only what balance needs (a member that
   * holds state per partition: the check index). Adapters without groups ignore it.
   */
  sticky?: boolean;
}

/** The partitions of one topic a group member holds. */
export interface TopicAssignment {
  topic: string;
  /** the topic's partition count */
  partitions: number;
  owned: number[];
}

/** Where a consumer group stands on one partition: `end` is the next offset to be written. */
export interface PartitionPosition {
  topic: string;
  partition: number;
  /** first offset still in the log */
  start: string;
  /** the offset the next record written will get (high watermark) */
  end: string;
  /** the group's committed offset (the next it reads), or '-1' when it committed none */
  committed: string;
}

export interface Subscription {
  stop(): Promise<void>;
}

export abstract class MessageBus {
  /**
   * Whether a published record outlives this process (Kafka: yes). When not (the in-process bus), the
   * outbox relay re-publishes its recent rows at start, so that what a crash or a stop left unconsumed is
   * delivered after all (consumers de-duplicate what they had applied).
   */
  readonly durable: boolean = true;
  /** The largest record (key and value) the bus takes; the relay parks a bigger one (none: no limit). */
  readonly maxRecordBytes?: number;
  abstract ensureTopics(topics: TopicSpec[]): Promise<void>;
  abstract publish(records: OutgoingRecord[]): Promise<void>;
  abstract subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Where a consumer group stands on every partition of the topics; undefined when the adapter cannot
   * tell. Lets a consumer decide it has read everything published so far (e.g. tracking's trail sealing).
   */
  consumerPositions?(groupId: string, topics: string[]): Promise<PartitionPosition[] | undefined>;
  /** Resolves when the bus answers; rejects otherwise (readiness). */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
