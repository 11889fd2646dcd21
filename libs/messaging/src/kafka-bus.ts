import {
  Admin,
  Consumer,
  ICustomPartitioner,
  Kafka,
  logLevel,
  LogEntry,
  PartitionAssigners,
  Partitioners,
  Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import { leaveGroupFor } from './kafka-group-leave';
import { stickyAssigner } from './sticky-assigner';
import {
  IncomingRecord,
  MessageBus,
  OutgoingRecord,
  PartitionPosition,
  SubscribeOptions,
  Subscription,
  TopicAssignment,
  TopicSpec,
} from './message-bus';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic and group id: isolates tenants or test runs on one cluster. */
  prefix?: string;
  logger: Logger;
  /**
   * How long the broker may hold a fetch when it has no data (default 1 s). It answers as soon as a record
   * arrives (fetch.min.bytes 1), so this bounds only how often an idle consumer asks: at 100 ms every idle
   * consumer cost a request/response round trip ten times a second (~3 % of the check's busy core with
   * enforcement's three). Also about how long a consumer's stop may wait for the fetch in hand.
   */
  maxWaitMs?: number;
  /**
   * How long the coordinator keeps a member that stopped heartbeating (default 10 s; the broker's
   * group.min.session.timeout.ms is 6 s). Bounds how long a replica lost for good holds its partitions.
   */
  sessionTimeoutMs?: number;
  /**
   * This process's stable name among its service's replicas (the pod's name, the container's host name).
   * When set, a consumer starting first takes out of its group the members its previous incarnation
   * left there (same name): after a SIGKILL the restarted process consumes at once instead of waiting
   * for the dead member's session to expire (decision 0044). Two live replicas must never share it.
   */
  instanceId?: string;
  /**
   * How long a subscription waits for its consumer's first join before resolving anyway (default 2 s);
   * the join goes on in the background (issue 17).
   */
  joinWaitMs?: number;
}

/**
 * The messaging port over Apache Kafka (kafkajs 2.2.4). Batches every publish into one request per call;
 * consumes with eachBatch and resolves an offset only after its handler resolved, committing after the
 * batch, so a crash redelivers instead of losing. One kafkajs consumer per subscription: a slow topic
 * cannot hold up another service's or another topic's consumer.
 */
export class KafkaBus extends MessageBus {
  // the broker refuses a record batch over message.max.bytes (1 MB by default), headers and framing included
  override readonly maxRecordBytes: number | undefined = 1_000_000;
  private readonly kafka: Kafka;
  private readonly prefix: string;
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  private readonly consumers = new Set<Consumer>();
  private consumerClient?: Kafka;
  /** pending restarts of crashed consumers, cancelled by close() */
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private closing = false;

  constructor(private readonly options: KafkaBusOptions) {
    super();
    this.prefix = options.prefix ?? '';
    const log = options.logger.child({ component: 'kafkajs' });
    this.kafka = this.createClient(options.clientId, log);
  }

  private createClient(clientId: string, log: Logger): Kafka {
    return new Kafka({
      clientId,
      brokers: this.options.brokers,
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { initialRetryTime: 100, retries: 8 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          const { message, ...rest } = entry;
          if (level <= logLevel.ERROR) log.error(rest, message);
          else if (level === logLevel.WARN) log.warn(rest, message);
          else log.debug(rest, message);
        },
    });
  }

  topicName(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  private unprefix(topic: string): string {
    return topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
  }

  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err) => {
      this.admin = undefined;
      throw err;
    });
    return this.admin;
  }

  private getProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      // One request in flight keeps records of a key in order even when a send is retried.
      // The default partitioner hashes keys like the Java client (murmur2): every client agrees on a key's partition.
      const producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        maxInFlightRequests: 1,
        createPartitioner: cachingPartitioner(Partitioners.DefaultPartitioner),
      });
      await producer.connect();
      return producer;
    })().catch((err) => {
      this.producer = undefined;
      throw err;
    });
    return this.producer;
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    // a topic just created is not yet in every broker's metadata: kafkajs's wait for its leaders can fail
    // with UNKNOWN_TOPIC_OR_PARTITION (retriable); ask again rather than fail the service's start
    await retryRetriable(async (attempt) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(this.topicName(t.topic)));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: this.topicName(t.topic),
            numPartitions: t.partitions,
            replicationFactor: -1,
          })),
        });
      } else if (attempt > 1) {
        // created by the failed attempt: their metadata, once it answers, means leaders are known
        await admin.fetchTopicMetadata({ topics: topics.map((t) => this.topicName(t.topic)) });
      }
    });
  }

  /**
   * Records are split into lanes by key (every record of a key in the same lane, in order); each lane
   * sends its slices one after the other, the lanes concurrently: one lane's next request is encoded
   * while another's waits for its acknowledgement, and a retried request can only reorder records of
   * different keys, never two of one key.
   */
  async publish(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.getProducer();
    const lanes = records.length < LANE_MIN_RECORDS ? [records] : splitByKey(records, LANES);
    await Promise.all(
      lanes.map(async (lane) => {
        // a broker refuses a record batch over message.max.bytes (1 MB by default): send in slices, in order
        for (const slice of slicesBySize(lane, MAX_REQUEST_BYTES)) {
          const byTopic = new Map<string, OutgoingRecord[]>();
          for (const r of slice) {
            const list = byTopic.get(r.topic) ?? [];
            list.push(r);
            byTopic.set(r.topic, list);
          }
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic.entries()].map(([topic, list]) => ({
              topic: this.topicName(topic),
              messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
            })),
          });
        }
      }),
    );
  }

  /**
   * Consumers carry the instance's name in their client id (what the coordinator reports per member), so
   * that the next incarnation of this process can tell its predecessor's members from other replicas'.
   */
  private consumerKafka(): Kafka {
    const { instanceId, clientId, logger } = this.options;
    if (!instanceId) return this.kafka;
    this.consumerClient ??= this.createClient(
      `${clientId}@${instanceId}`,
      logger.child({ component: 'kafkajs' }),
    );
    return this.consumerClient;
  }

  /** Takes the members a previous incarnation of this instance left in the group out of it (decision 0044). */
  private async leavePreviousIncarnation(groupId: string): Promise<void> {
    const clientId = `${this.options.clientId}@${this.options.instanceId}`;
    const admin = await this.getAdmin();
    const { groups } = await admin.describeGroups([groupId]);
    const stale = (groups[0]?.members ?? []).filter((m) => m.clientId === clientId).map((m) => m.memberId);
    if (stale.length === 0) return;
    await leaveGroupFor({ brokers: this.options.brokers, clientId, groupId, memberIds: stale });
    this.options.logger.info({ groupId, members: stale }, 'took the previous incarnation out of its group');
  }

  /**
   * Resolves once the consumer joined its group (kafkajs keeps rejoining by itself after a broker restart),
   * or after `joinWaitMs` with the join going on. The join waits for every known member of the group: a
   * restart first takes its previous incarnation's members out (instanceId), so it does not wait for their
   * sessions to expire (decision 0044); when that cannot be done the start does not wait for it (0059).
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const groupId = `${this.prefix}${options.groupId}`;
    if (this.options.instanceId)
      await this.leavePreviousIncarnation(groupId).catch((err: Error) =>
        this.options.logger.warn({ groupId, err: err.message }, 'could not take stale members out'),
      );
    let consumer: Consumer | undefined;
    let stopped = false;
    let crashes = 0;
    let restartTimer: NodeJS.Timeout | undefined;
    // one memory for the subscription: a consumer made again after a crash still says what it held
    const sticky = options.sticky ? stickyAssigner() : undefined;
    const start = async (): Promise<void> => {
      const c = this.consumerKafka().consumer({
        groupId,
        sessionTimeout: this.options.sessionTimeoutMs ?? 10000,
        // kafkajs heartbeats between fetches and between a batch's chunks; here also while a chunk runs
        heartbeatInterval: HEARTBEAT_MS,
        // how long a rebalance waits for the members to rejoin (kafkajs's default 60 s): a member in the
        // middle of a chunk rejoins when the chunk ends, so a join (a restarted replica's) waits for at
        // most this; one that did not rejoin by then is dropped and joins again later (issue 17)
        rebalanceTimeout: 30000,
        maxWaitTimeInMs: this.options.maxWaitMs ?? 1000,
        minBytes: 1,
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 200, retries: 10 },
        // round robin after the sticky one: a group with a member of an older build agrees on it
        ...(sticky && { partitionAssigners: [sticky.assigner, PartitionAssigners.roundRobin] }),
      });
      consumer = c;
      this.consumers.add(c);
      c.on(c.events.GROUP_JOIN, ({ payload }) => {
        crashes = 0;
        sticky?.remember(payload.memberAssignment);
        if (options.onAssigned)
          this.assignmentOf(options.topics, payload.memberAssignment)
            .then(options.onAssigned)
            .catch((err: Error) =>
              this.options.logger.warn({ groupId, err: err.message }, 'could not tell the assignment'),
            );
      });
      // kafkajs restarts a consumer that crashed on a retriable error by itself (`restart: true`); one that
      // crashed otherwise stays stopped, its service still answering ready. On a fresh broker a join fails
      // that way: "The coordinator is loading" or a coordinator not found yet ends in
      // KafkaJSGroupCoordinatorNotFound, which kafkajs counts as not retriable. A new consumer, after a
      // growing pause, whatever the error (decision 0050).
      c.on(c.events.CRASH, ({ payload }) => {
        if (payload.restart || stopped || this.closing) return;
        this.consumers.delete(c);
        scheduleRestart(payload.error);
      });
      await c.connect();
      const topics = options.topics.map((t) => this.topicName(t));
      await retryRetriable(() => c.subscribe({ topics, fromBeginning: true }));
      // run() resolves once the member joined its group; a join that fails goes to the crash handler above
      const running: Promise<boolean> = c
        .run({
          autoCommit: true,
          autoCommitInterval: 1000,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.concurrency ?? 3,
          eachBatch: async ({
            batch,
            resolveOffset,
            heartbeat,
            isRunning,
            isStale,
            commitOffsetsIfNecessary,
          }) => {
            const toRecord = (message: (typeof batch.messages)[number]): IncomingRecord => ({
              topic: this.unprefix(batch.topic),
              partition: batch.partition,
              offset: message.offset,
              key: message.key ? message.key.toString('utf8') : null,
              value: message.value,
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [
                  k,
                  Array.isArray(v) ? String(v[0]) : String(v),
                ]),
              ),
            });
            const chunk = options.handleBatch ? (options.maxBatch ?? 200) : 1;
            for (let i = 0; i < batch.messages.length; i += chunk) {
              if (!isRunning() || isStale()) break;
              const messages = batch.messages.slice(i, i + chunk);
              // kafkajs has no heartbeat thread: a chunk that runs longer than the session (a backlog of
              // records to dead-letter on a starved machine) lost the member its partitions. heartbeat() is
              // shared and only asks when the interval has passed; its error (a rebalance under way) is
              // thrown again by the heartbeat after the chunk, which ends the batch so the member rejoins.
              const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
              try {
                if (options.handleBatch) await options.handleBatch(messages.map(toRecord));
                else await options.handle(toRecord(messages[0]));
              } finally {
                clearInterval(keepAlive);
              }
              resolveOffset(messages[messages.length - 1].offset);
              await heartbeat();
            }
            await commitOffsetsIfNecessary();
          },
        })
        .then(() => true);
      // The join is waited for a moment (an ordinary start has joined by then), not until it completes:
      // a rebalance can take as long as a member that left no word takes to expire (its session), or a
      // live one in the middle of a batch to rejoin (the rebalance timeout), and the service's start —
      // its readiness — waited with it (issue 17). Records published meanwhile are not lost: a new group
      // reads from the beginning, an existing one from its committed offsets.
      let joinTimer: NodeJS.Timeout | undefined;
      const joined = await Promise.race([
        running,
        new Promise<false>((resolve) => {
          joinTimer = setTimeout(() => resolve(false), this.options.joinWaitMs ?? 2000);
        }),
      ]).finally(() => clearTimeout(joinTimer));
      if (!joined) {
        this.options.logger.info(
          { groupId, waitedMs: this.options.joinWaitMs ?? 2000 },
          'consumer still joining its group; going on with the start',
        );
        running.catch((err: Error) => {
          if (stopped || this.closing) return;
          this.consumers.delete(c);
          scheduleRestart(err);
        });
      }
    };
    const scheduleRestart = (error: Error) => {
      crashes += 1;
      const inMs = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** Math.min(crashes - 1, 8));
      this.options.logger.error(
        { groupId, err: error.message, errorName: error.name, crashes, inMs },
        'consumer stopped after an error kafkajs does not retry; starting it again',
      );
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        restartTimer = undefined;
        if (stopped || this.closing) return;
        start().catch((err: Error) => {
          if (consumer) this.consumers.delete(consumer);
          void consumer?.disconnect().catch(() => undefined);
          if (!stopped && !this.closing) scheduleRestart(err);
        });
      }, inMs);
      restartTimer = timer;
      this.restartTimers.add(timer);
    };
    await start();
    return {
      stop: async () => {
        stopped = true;
        if (restartTimer) {
          clearTimeout(restartTimer);
          this.restartTimers.delete(restartTimer);
        }
        // disconnect waits for the batch in hand, then commits what was resolved (and leaves the group)
        await consumer?.disconnect();
        if (consumer) this.consumers.delete(consumer);
      },
    };
  }

  /** A member's assignment by topic, with each topic's partition count (from the cluster's metadata). */
  private async assignmentOf(
    topics: string[],
    assigned: Record<string, number[]>,
  ): Promise<TopicAssignment[]> {
    const admin = await this.getAdmin();
    const names = topics.map((t) => this.topicName(t));
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
    return metadata.map((t) => ({
      topic: this.unprefix(t.name),
      partitions: t.partitions.length,
      owned: [...(assigned[t.name] ?? [])].sort((a, b) => a - b),
    }));
  }

  override async consumerPositions(groupId: string, topics: string[]): Promise<PartitionPosition[]> {
    const admin = await this.getAdmin();
    const names = topics.map((t) => this.topicName(t));
    const committed = await admin.fetchOffsets({ groupId: `${this.prefix}${groupId}`, topics: names });
    const byKey = new Map<string, string>();
    for (const t of committed) for (const p of t.partitions) byKey.set(`${t.topic}|${p.partition}`, p.offset);
    const positions: PartitionPosition[] = [];
    for (const name of names) {
      for (const p of await admin.fetchTopicOffsets(name)) {
        positions.push({
          topic: this.unprefix(name),
          partition: p.partition,
          start: p.low,
          end: p.high,
          committed: byKey.get(`${name}|${p.partition}`) ?? '-1',
        });
      }
    }
    return positions;
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.allSettled([producer?.then((p) => p.disconnect()), admin?.then((a) => a.disconnect())]);
  }
}

/**
 * `fn` (told its attempt, from 1) again while it fails with an error kafkajs marks retriable, up to
 * `attempts` times with a growing pause. A topic just created (by this service or another) is not yet in
 * every broker's metadata cache: a consumer's subscribe then fails with UNKNOWN_TOPIC_OR_PARTITION, which
 * kafkajs does not retry there.
 */
async function retryRetriable<T>(fn: (attempt: number) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || (err as { retriable?: boolean }).retriable !== true) throw err;
      await new Promise((resolve) => setTimeout(resolve, 150 * attempt));
    }
  }
}

const MAX_REQUEST_BYTES = 512 * 1024;
/** A consumer's heartbeat interval: a tenth of the default 10 s session. */
const HEARTBEAT_MS = 1000;
/** A crashed consumer's new start: after 0.5 s, doubling per crash in a row, at most 30 s apart. */
const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
const LANES = 3;
const LANE_MIN_RECORDS = 200;

/** Splits records into `n` lanes by a hash of their key, keeping their order within each lane. */
function splitByKey(records: OutgoingRecord[], n: number): OutgoingRecord[][] {
  const lanes: OutgoingRecord[][] = Array.from({ length: n }, () => []);
  for (const r of records) {
    let h = 0;
    for (let i = 0; i < r.key.length; i += 1) h = (h * 31 + r.key.charCodeAt(i)) | 0;
    lanes[(h >>> 0) % n].push(r);
  }
  return lanes.filter((lane) => lane.length > 0);
}

/**
 * The given partitioner, remembering each key's partition: a keyed record's partition depends only on
 * its key and the topic's partition count, and a fan-out sends many records per key (kafkajs's murmur2
 * runs on emulated 64-bit longs).
 */
function cachingPartitioner(create: ICustomPartitioner): ICustomPartitioner {
  return () => {
    const partitioner = create();
    const known = new Map<string, number>();
    return (args) => {
      const { topic, partitionMetadata, message } = args;
      if (message.partition != null || typeof message.key !== 'string') return partitioner(args);
      const id = `${partitionMetadata.length}|${topic}|${message.key}`;
      let partition = known.get(id);
      if (partition === undefined) {
        partition = partitioner(args);
        if (known.size >= 200_000) known.clear();
        known.set(id, partition);
      }
      return partition;
    };
  };
}

/** Consecutive slices whose values add up to at most `limit` bytes (a larger record goes alone). */
function slicesBySize(records: OutgoingRecord[], limit: number): OutgoingRecord[][] {
  const slices: OutgoingRecord[][] = [];
  let current: OutgoingRecord[] = [];
  let size = 0;
  for (const r of records) {
    const bytes = Buffer.byteLength(r.value) + r.key.length + 64;
    if (current.length > 0 && size + bytes > limit) {
      slices.push(current);
      current = [];
      size = 0;
    }
    current.push(r);
    size += bytes;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}
