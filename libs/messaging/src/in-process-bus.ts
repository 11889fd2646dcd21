import pino, { type Logger } from 'pino';
import {
  IncomingRecord,
  MessageBus,
  OutgoingRecord,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './message-bus';
import { MessageBusErrors } from './messaging.errors';

export interface InProcessBusOptions {
  logger?: Logger;
  /** Prepended to every topic and group id, as on Kafka (records are delivered with the plain name). */
  prefix?: string;
  /** Partitions of every topic, whatever ensureTopics asks: the embedded process picks its own parallelism. */
  partitions?: number;
  /**
   * How long a record that no subscribed group still needs is kept (default 5 minutes), so that a group
   * subscribing a little later (start-up order, a dead-letter reader) still reads it from the beginning.
   */
  retainMs?: number;
  /** First wait before a failed delivery is tried again; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** A misuse of the bus: publishing to or subscribing to a topic never created, using it after close. */
export class MessageBusError extends Error {
  constructor(
    readonly code: (typeof MessageBusErrors)[keyof typeof MessageBusErrors]['code'],
    message: string,
  ) {
    super(message);
    this.name = 'MessageBusError';
  }
}

/**
 * The messaging port inside one process, for the embedded mode: the guarantees of the Kafka adapter
 * without a broker. Each topic has partitions (a key's partition is Kafka's murmur2 hash of it, so a key
 * lands where it would on Kafka), each partition an append-only log with offsets. Each consumer group
 * has its own position per partition, so every group reads every record; a group that subscribes for
 * the first time starts at the oldest record kept (Kafka's `fromBeginning`, as KafkaBus subscribes).
 * One delivery loop per group and partition keeps a partition's order; members of a group share the
 * partitions, `concurrency` of them in parallel per member. A position advances only after the handler
 * resolved; a rejection delivers the same records again after a backoff (at-least-once).
 *
 * Records live in memory only (`durable` is false): the outbox, in the service's database, is the
 * durable part, and the relay re-publishes its recent rows at start (see OutboxRelay).
 */
export class InProcessBus extends MessageBus {
  override readonly durable = false;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly retainMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly topics = new Map<string, TopicLog>();
  private readonly groups = new Map<string, Group>();
  private readonly loops = new Set<Promise<void>>();
  private readonly trimTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: InProcessBusOptions = {}) {
    super();
    this.prefix = options.prefix ?? '';
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'in-process-bus' });
    this.retainMs = options.retainMs ?? 300_000;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
    this.trimTimer = setInterval(() => this.trim(), Math.min(Math.max(this.retainMs, 100), 1000));
    this.trimTimer.unref();
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const spec of topics) {
      const name = this.prefix + spec.topic;
      if (this.topics.has(name)) continue; // like Kafka: an existing topic keeps its partitions
      const count = this.options.partitions ?? spec.partitions;
      if (!Number.isInteger(count) || count < 1)
        throw new RangeError(`partitions of ${spec.topic}: ${count}`);
      this.topics.set(name, new TopicLog(spec.topic, count));
    }
  }

  /** Appends every record or none (an unknown topic fails the call before anything is written). */
  async publish(records: OutgoingRecord[]): Promise<void> {
    this.assertOpen();
    const logs = records.map((r) => this.topic(r.topic));
    const at = Date.now();
    const touched = new Set<PartitionLog>();
    records.forEach((r, i) => {
      const log = logs[i].partitionOf(r.key);
      log.append({
        key: r.key,
        // copied: the caller may reuse its buffer, and a consumer must not see it change
        value: typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value),
        headers: { ...r.headers },
        at,
      });
      touched.add(log);
    });
    for (const log of touched) log.wakeReaders();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const topics = [...new Set(options.topics)].map((t) => this.topic(t));
    const groupId = this.prefix + options.groupId;
    let group = this.groups.get(groupId);
    if (!group) {
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    const member = new Member(options, topics);
    group.members.push(member);
    this.rebalance(group);
    const owner = group;
    return { stop: () => this.leave(owner, member) };
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  /** Stops every subscription (waiting for the handlers in flight), then the delivery loops. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all(
      [...this.groups.values()].flatMap((group) => [...group.members].map((m) => this.leave(group, m))),
    );
    this.closed = true;
    clearInterval(this.trimTimer);
    for (const group of this.groups.values()) for (const lane of group.lanes.values()) lane.interrupt();
    await Promise.all([...this.loops]);
  }

  /** Records kept in memory for `topic` (all partitions): consumed or not, within the retention. */
  retainedRecords(topic: string): number {
    return this.topic(topic).partitions.reduce((sum, log) => sum + log.records.length, 0);
  }

  /**
   * Drops records that every subscribed group has consumed and that are older than `retainMs` (run
   * every second by a timer). Records some subscribed group has not consumed yet are never dropped: the
   * memory held is the consumers' lag plus the retention window.
   */
  trim(now = Date.now()): void {
    const cutoff = now - this.retainMs;
    for (const topic of this.topics.values()) {
      for (const log of topic.partitions) {
        let needed = Infinity;
        for (const lane of log.lanes) if (lane.owner) needed = Math.min(needed, lane.committed);
        log.dropWhile((r, offset) => offset < needed && r.at <= cutoff);
      }
    }
  }

  private topic(topic: string): TopicLog {
    const log = this.topics.get(this.prefix + topic);
    if (!log) throw new MessageBusError(MessageBusErrors.UNKNOWN_TOPIC.code, `topic ${topic} does not exist`);
    return log;
  }

  private assertOpen(): void {
    if (this.closed) throw new MessageBusError(MessageBusErrors.BUS_CLOSED.code, 'the bus is closed');
  }

  private async leave(group: Group, member: Member): Promise<void> {
    if (!member.stopped) {
      member.stopped = true;
      group.members = group.members.filter((m) => m !== member);
      this.rebalance(group);
    }
    // its partitions may already be with another member: their loops wait for these to finish
    await Promise.all([...member.inFlight]);
  }

  /**
   * Hands each partition of the group's topics to one member (round-robin over the members subscribed
   * to the topic). A partition's loop delivers one batch at a time, so a batch in flight with the old
   * owner finishes before the new owner gets the next: a partition never has two deliveries at once.
   */
  private rebalance(group: Group): void {
    const owners = new Map<PartitionLog, Member>();
    let turn = 0;
    const topics = new Set(group.members.flatMap((m) => m.topics));
    for (const topic of topics) {
      const members = group.members.filter((m) => m.topics.includes(topic));
      for (const log of topic.partitions) owners.set(log, members[turn++ % members.length]);
    }
    for (const log of owners.keys()) {
      if (!group.lanes.has(log)) {
        // a group's first read of a partition starts at its oldest record kept
        const lane = new Lane(group, log, log.start);
        group.lanes.set(log, lane);
        log.lanes.add(lane);
        const loop = this.run(lane).finally(() => this.loops.delete(loop));
        this.loops.add(loop);
      }
    }
    for (const [log, lane] of group.lanes) lane.assign(owners.get(log));
  }

  /** The delivery loop of one group on one partition. */
  private async run(lane: Lane): Promise<void> {
    const { log } = lane;
    let failures = 0;
    while (!this.closed) {
      const member = lane.owner;
      if (lane.committed < log.start) {
        this.logger.warn(
          {
            group: lane.group.id,
            topic: log.topic,
            partition: log.partition,
            from: lane.committed,
            to: log.start,
          },
          'records dropped before this group read them (it had no subscribed member); skipping to the oldest kept',
        );
        lane.committed = log.start;
      }
      if (!member || lane.committed >= log.end) {
        await lane.changed();
        continue;
      }
      await member.slots.acquire();
      if (lane.owner !== member || member.stopped || this.closed) {
        member.slots.release();
        continue;
      }
      const batch = log.read(lane.committed, member.chunk);
      const delivery = this.deliver(lane, member, batch);
      member.inFlight.add(delivery);
      let ok: boolean;
      try {
        ok = await delivery;
      } finally {
        member.inFlight.delete(delivery);
        member.slots.release();
      }
      if (ok) {
        failures = 0;
        // a handler that resolves at once must not starve timers and I/O while a backlog drains
        await new Promise((resolve) => setImmediate(resolve));
      } else {
        failures += 1;
        await lane.sleep(Math.min(this.retryDelayMs * 2 ** (failures - 1), this.maxRetryDelayMs));
      }
    }
  }

  /** Calls the handler; the group's position moves past the batch only once it resolved. */
  private async deliver(lane: Lane, member: Member, batch: StoredRecord[]): Promise<boolean> {
    const { log } = lane;
    const first = lane.committed;
    const records = batch.map((r, i): IncomingRecord => ({
      topic: log.topic,
      partition: log.partition,
      offset: String(first + i),
      key: r.key,
      value: r.value,
      headers: { ...r.headers },
    }));
    try {
      if (member.options.handleBatch) await member.options.handleBatch(records);
      else await member.options.handle(records[0]);
      lane.committed = first + batch.length;
      return true;
    } catch (err) {
      this.logger.warn(
        { err, group: lane.group.id, topic: log.topic, partition: log.partition, offset: first },
        'handler failed; the records will be delivered again',
      );
      return false;
    }
  }
}

interface StoredRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** When it was published (ms), for the retention. */
  at: number;
}

class TopicLog {
  readonly partitions: PartitionLog[];

  constructor(
    readonly name: string,
    count: number,
  ) {
    this.partitions = Array.from({ length: count }, (_, p) => new PartitionLog(name, p));
  }

  /** Kafka's default partitioner for keyed records: every client agrees on a key's partition. */
  partitionOf(key: string): PartitionLog {
    return this.partitions[(murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % this.partitions.length];
  }
}

class PartitionLog {
  /** records[0] has offset `start`. */
  records: StoredRecord[] = [];
  start = 0;
  /** Every group's cursor on this partition. */
  readonly lanes = new Set<Lane>();

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** The offset the next record gets. */
  get end(): number {
    return this.start + this.records.length;
  }

  append(record: StoredRecord): void {
    this.records.push(record);
  }

  read(from: number, max: number): StoredRecord[] {
    const i = from - this.start;
    return this.records.slice(i, i + max);
  }

  wakeReaders(): void {
    for (const lane of this.lanes) if (lane.owner) lane.wake();
  }

  dropWhile(drop: (record: StoredRecord, offset: number) => boolean): void {
    let n = 0;
    while (n < this.records.length && drop(this.records[n], this.start + n)) n += 1;
    if (n === 0) return;
    this.records = this.records.slice(n);
    this.start += n;
  }
}

class Group {
  members: Member[] = [];
  /** The group's cursor per partition; kept when its members leave, so a new member resumes there. */
  readonly lanes = new Map<PartitionLog, Lane>();

  constructor(readonly id: string) {}
}

class Member {
  stopped = false;
  readonly slots: Slots;
  readonly inFlight = new Set<Promise<boolean>>();
  /** Records per delivery. */
  readonly chunk: number;

  constructor(
    readonly options: SubscribeOptions,
    readonly topics: TopicLog[],
  ) {
    this.slots = new Slots(Math.max(1, options.concurrency ?? 3));
    this.chunk = options.handleBatch ? Math.max(1, options.maxBatch ?? 200) : 1;
  }
}

/** One group's position on one partition, and the loop's means to wait for work. */
class Lane {
  owner?: Member;
  private waiters: (() => void)[] = [];
  private cancelSleep?: () => void;

  constructor(
    readonly group: Group,
    readonly log: PartitionLog,
    /** The next offset to deliver: everything before it was handled. */
    public committed: number,
  ) {}

  assign(owner: Member | undefined): void {
    if (this.owner === owner) return;
    this.owner = owner;
    this.wake();
  }

  /** Resolves at the next wake (a record published, the owner changed, the bus closed). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** A backoff that only close cuts short (a publish must not turn a retry into a hot loop). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.cancelSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cancelSleep = done;
    });
  }

  /** The bus is closing: ends a backoff or a wait at once. */
  interrupt(): void {
    this.cancelSleep?.();
    this.wake();
  }
}

/** A counting semaphore: how many of a member's partitions are handled at once. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/**
 * Kafka's murmur2 (the Java client's `Utils.murmur2`, which kafkajs's default partitioner reproduces),
 * in 32-bit integer arithmetic.
 */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i += 1) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest >= 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}
