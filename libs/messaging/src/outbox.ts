import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent } from '@credit/contracts';
import { afterCommit } from '@credit/persistence';
import {
  metricsRegistry,
  outboxPending,
  outboxPublished,
  tracingEnabled,
  withLeadingTraceparent,
} from '@credit/platform';
import { Counter } from 'prom-client';
import { MessageBus, OutgoingRecord } from './message-bus';
import { startOutboxWrite, startRelayPublish, withTraceparent } from './message-tracing';

export interface OutboxMessage {
  topic: string;
  /** The record key: the subject's identifier, so that every event about a subject stays in order. */
  key: string;
  event: CloudEvent;
}

/**
 * An event the writer already serialised (a bulk writer building many similar events from string parts):
 * `payload` is the CloudEvent's JSON, `eventId` and `eventType` its `id` and `type`.
 */
export interface SerializedOutboxMessage {
  topic: string;
  key: string;
  eventId: string;
  eventType: string;
  payload: string;
}

export type AnyOutboxMessage = OutboxMessage | SerializedOutboxMessage;

/** A record a recipe row stands for, as its writer built it or its resolver rebuilt it. */
export interface RecipeRecord {
  key: string;
  value: string | Buffer;
}

/**
 * A run of events a service can rebuild from its own tables, written as one outbox row that holds what is
 * needed to rebuild them (`data`, as JSON) instead of their payloads (decision 0016). The relay publishes
 * `records` from memory when this process wrote them, or asks the resolver registered for `kind`
 * (`OutboxRelay.registerRecipe`) to rebuild them — the same records, in the same order.
 */
export interface OutboxRecipe {
  kind: string;
  topic: string;
  eventType: string;
  data: unknown;
  records: RecipeRecord[];
}

/** Rebuilds the records of recipe rows (each one's `data`), in the relay's transaction. */
export type RecipeResolver = (manager: EntityManager, data: unknown[]) => Promise<RecipeRecord[][]>;

type CachedValue = Buffer | RecipeRecord[];

/**
 * Payloads (and recipes' records) this process wrote to its outbox, by outbox row id, kept until the
 * relay publishes them so it need not read them back. Only ever consulted for a row the relay selected
 * from the table, i.e. a committed one: an entry of a transaction that rolled back is never used, and
 * ages out. Bounded in bytes; past the bound (or for rows written by another replica) the relay reads
 * the row's payload, or has its recipe rebuilt.
 */
export class OutboxPayloadCache {
  private readonly entries = new Map<string, { value: CachedValue; bytes: number; at: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly maxAgeMs = 120_000,
  ) {}

  put(id: string, value: CachedValue): void {
    const bytes = Buffer.isBuffer(value) ? value.length : value.reduce((n, r) => n + r.value.length, 0);
    if (this.bytes + bytes > this.maxBytes) return;
    this.entries.set(id, { value, bytes, at: Date.now() });
    this.bytes += bytes;
  }

  take(id: string): CachedValue | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.bytes -= entry.bytes;
    return entry.value;
  }

  /** Drops entries older than the age limit (rolled back, or published by another replica). */
  sweep(): void {
    const limit = Date.now() - this.maxAgeMs;
    for (const [id, entry] of this.entries) {
      if (entry.at >= limit) break; // insertion order is age order
      this.entries.delete(id);
      this.bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

// Advisory-lock classes (arbitrary constants, one per purpose).
const KEY_LOCK = 0x6f75746b; // 'outk': serialises outbox writers of one key
const SCHEMA_LOCK = 0x6f757473; // 'outs': shared by ordinary writers, exclusive for a bulk write
const RELAY_LOCK = 0x6f757472; // 'outr': one relay at a time per schema, whatever the replica count

/**
 * Writes outgoing events in the caller's transaction: they are published if and only if the state
 * change commits.
 *
 * Why the locks: the relay reads unpublished rows by id, but ids are taken at insert time, not at commit
 * time. Holding a transaction-scoped lock on the key from before the insert until commit means a later
 * writer of the same key only gets its id after the earlier one committed, so for every key id order is
 * commit order and the relay can never publish a later event of a subject before an earlier one. Rows
 * leave the outbox one by one once published (never a high-water mark), so an id gap loses nothing.
 *
 * A bulk writer (an import of 50,000 subjects) cannot take a lock per key — PostgreSQL's lock table is
 * small — so it takes the schema's outbox lock exclusively instead, and every ordinary writer holds that
 * lock shared while it writes: a bulk write and any other write of the same schema never interleave.
 * Ordinary writers take the shared lock before any key lock, and their key locks in sorted order.
 */
export class Outbox {
  /**
   * @param committed called once a transaction that wrote here has committed (ServiceMessaging wakes its
   *   relay with it: the rows go out then, not at the relay's next look)
   */
  constructor(
    private readonly schema: string,
    private readonly cache?: OutboxPayloadCache,
    private readonly committed?: () => void,
  ) {}

  async add(
    manager: EntityManager,
    messages: AnyOutboxMessage[],
    options: { bulk?: boolean } = {},
  ): Promise<void> {
    if (messages.length === 0) return;
    if (!tracingEnabled()) return this.write(manager, messages, options);
    // each event keeps the context of the span that wrote it as its `traceparent` (decision 0049)
    const traced = startOutboxWrite(
      this.schema,
      messages.map((m) => ({
        key: m.key,
        topic: m.topic,
        type: 'payload' in m ? m.eventType : m.event.type,
      })),
    );
    try {
      await this.write(
        manager,
        messages.map((m) => {
          const traceparent = traced.traceparentOf(m.key);
          return 'payload' in m
            ? { ...m, payload: withLeadingTraceparent(m.payload, traceparent) }
            : { ...m, event: withTraceparent(m.event, traceparent) };
        }),
        options,
      );
      traced.end();
    } catch (err) {
      traced.end(err);
      throw err;
    }
  }

  private async write(
    manager: EntityManager,
    messages: AnyOutboxMessage[],
    options: { bulk?: boolean },
  ): Promise<void> {
    await this.lock(
      manager,
      messages.map((m) => m.key),
      options,
    );
    for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
      await this.insert(manager, messages.slice(i, i + INSERT_CHUNK));
    }
    if (this.committed) afterCommit(manager, this.committed);
  }

  /**
   * Writes a recipe for a run of events as one row, under the same locks as `add` takes for those events'
   * keys: per key, the run is ordered against every other outbox row as its events would be.
   */
  async addRecipe(manager: EntityManager, recipe: OutboxRecipe, options: { bulk?: boolean } = {}) {
    if (recipe.records.length === 0) return;
    if (!tracingEnabled()) return this.writeRecipe(manager, recipe, options);
    // the records carry their `traceparent`s; the row keeps them by key for a rebuild (`traces`)
    const traced = startOutboxWrite(
      this.schema,
      recipe.records.map((r) => ({ key: r.key, topic: recipe.topic, type: recipe.eventType })),
    );
    try {
      const traces: Record<string, string> = {};
      const records = recipe.records.map((r) => {
        const traceparent = (traces[r.key] ??= traced.traceparentOf(r.key));
        return { key: r.key, value: withLeadingTraceparent(r.value, traceparent) };
      });
      await this.writeRecipe(manager, { ...recipe, records }, options, traces);
      traced.end();
    } catch (err) {
      traced.end(err);
      throw err;
    }
  }

  private async writeRecipe(
    manager: EntityManager,
    recipe: OutboxRecipe,
    options: { bulk?: boolean },
    traces?: Record<string, string>,
  ) {
    await this.lock(
      manager,
      recipe.records.map((r) => r.key),
      options,
    );
    const [{ id }]: { id: string }[] = await manager.query(
      `INSERT INTO "${this.schema}".message_outbox (topic, key, event_id, event_type, recipe, events)
       VALUES ($1, $2, $3, $4, $5::json, $6) RETURNING id`,
      [
        recipe.topic,
        recipe.records[0].key,
        randomUUID(),
        recipe.eventType,
        JSON.stringify({ kind: recipe.kind, data: recipe.data, ...(traces ? { traces } : {}) }),
        recipe.records.length,
      ],
    );
    this.cache?.put(String(id), recipe.records);
    if (this.committed) afterCommit(manager, this.committed);
  }

  private async lock(manager: EntityManager, keys: string[], options: { bulk?: boolean }) {
    if (options.bulk) {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, this.schema]);
      return;
    }
    const sorted = [...new Set(keys.map((k) => `${this.schema}:${k}`))].sort();
    // one round trip: an Append runs its branches in order, so the schema's shared lock comes first and
    // the keys' locks after it in sorted order (a bulk write holding the schema exclusively takes no key)
    await manager.query(
      `SELECT pg_advisory_xact_lock_shared($1, hashtext($2))
       UNION ALL
       (SELECT pg_advisory_xact_lock($3, hashtext(k)) FROM unnest($4::text[]) WITH ORDINALITY AS x(k, n) ORDER BY n)`,
      [SCHEMA_LOCK, this.schema, KEY_LOCK, sorted],
    );
  }

  /**
   * Each event is serialised once; the chunk's payloads travel as one binary parameter (no escaping, no
   * JSON document for the database to parse) with offsets, and are sliced apart in the database.
   */
  private async insert(manager: EntityManager, chunk: AnyOutboxMessage[]): Promise<void> {
    const topics: string[] = [];
    const keys: string[] = [];
    const ids: string[] = [];
    const types: string[] = [];
    const texts: string[] = [];
    const offsets: number[] = [];
    const lengths: number[] = [];
    let offset = 1;
    for (const m of chunk) {
      const text = 'payload' in m ? m.payload : JSON.stringify(m.event);
      const length = Buffer.byteLength(text, 'utf8');
      topics.push(m.topic);
      keys.push(m.key);
      ids.push('payload' in m ? m.eventId : m.event.id);
      types.push('payload' in m ? m.eventType : m.event.type);
      texts.push(text);
      offsets.push(offset);
      lengths.push(length);
      offset += length;
    }
    // one buffer for the chunk, written in place (no per-event buffers to allocate and concatenate)
    const payloads = Buffer.allocUnsafe(offset - 1);
    for (let j = 0; j < texts.length; j += 1) payloads.write(texts[j], offsets[j] - 1, lengths[j], 'utf8');
    const inserted: { id: string; event_id: string }[] = await manager.query(
      `INSERT INTO "${this.schema}".message_outbox (topic, key, event_id, event_type, payload)
       SELECT t, k, e::uuid, y, convert_from(substring($1::bytea FROM o FOR l), 'UTF8')::json
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[])
         WITH ORDINALITY AS x(t, k, e, y, o, l, n)
       ORDER BY n
       RETURNING id, event_id`,
      [payloads, topics, keys, ids, types, offsets, lengths],
    );
    if (!this.cache) return;
    // rows come back in insertion order; cache only when that is visibly so
    if (inserted.length !== chunk.length) return;
    for (let j = 0; j < inserted.length; j += 1) {
      if (inserted[j].event_id !== ids[j].toLowerCase()) return;
    }
    for (let j = 0; j < inserted.length; j += 1) {
      this.cache.put(String(inserted[j].id), payloads.subarray(offsets[j] - 1, offsets[j] - 1 + lengths[j]));
    }
  }
}

const INSERT_CHUNK = 5000;

export interface OutboxRelayOptions {
  service: string;
  schema: string;
  dataSource: DataSource;
  bus: MessageBus;
  logger: Logger;
  batchSize?: number;
  idleMs?: number;
  /**
   * Lines of `message_published` are deleted after this long (the events are already on the bus). With a
   * bus that is not durable, this is also how far back the relay re-publishes at start.
   */
  retainPublishedMs?: number;
  /** Payloads the process's own Outbox wrote, so that they need not be read back. */
  cache?: OutboxPayloadCache;
}

/** An alert: an outbox row the bus can never take, moved to `message_parked` (decision 0018). */
export const outboxParked = new Counter({
  name: 'messaging_outbox_parked_total',
  help: 'Outbox rows the bus can never take (a record over its size limit), parked in message_parked',
  labelNames: ['service'],
  registers: [metricsRegistry],
});

/** Whether a row's records fit the bus: a row with one record over the limit is parked whole. */
function fits(value: CachedValue | string, key: string, limit: number): boolean {
  const bytes = (v: string | Buffer) => (typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  if (Array.isArray(value)) return value.every((r) => bytes(r.value) + bytes(r.key) <= limit);
  return bytes(value) + bytes(key) <= limit;
}

const CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/**
 * The header naming a record's event type (the outbox row's `event_type`, i.e. the CloudEvent's `type`),
 * so that a consumer with no handler for it skips the record without parsing it (decision 0057). The
 * record stays a structured-mode CloudEvent: the value alone is the event, the header only a hint.
 */
export const EVENT_TYPE_HEADER = 'event-type';

/** One headers object per event type (records share it: the buses copy or encode, never change it). */
const headersByType = new Map<string, Record<string, string>>();
function headersOf(type: string | undefined): Record<string, string> {
  const key = type ?? '';
  let headers = headersByType.get(key);
  if (!headers) {
    headers = type
      ? { 'content-type': CONTENT_TYPE, [EVENT_TYPE_HEADER]: type }
      : { 'content-type': CONTENT_TYPE };
    headersByType.set(key, headers);
  }
  return headers;
}

/** The records rows stand for, in row order (a recipe's in its row's place), and where each row's end. */
function recordsOf(
  rows: { topic: string; key: string; event_type?: string }[],
  values: (CachedValue | string)[],
): { records: OutgoingRecord[]; rowEnds: number[] } {
  const records: OutgoingRecord[] = [];
  const rowEnds: number[] = [];
  rows.forEach((r, i) => {
    const value = values[i];
    const headers = headersOf(r.event_type);
    if (Array.isArray(value)) {
      for (const rec of value) records.push({ topic: r.topic, key: rec.key, value: rec.value, headers });
    } else records.push({ topic: r.topic, key: r.key, value, headers });
    rowEnds.push(records.length);
  });
  return { records, rowEnds };
}
/** Rows sent per slice of a pass (the next slice is sent while this one is marked). */
const RELAY_SLICE = 2000;

/**
 * Publishes committed outbox rows in id order (a recipe row as the run of records it stands for, in its
 * place) and moves them out: each sent row is deleted and a narrow
 * line (ids, key, times) written to `message_published` in the same transaction — a delete costs about a
 * third of updating the 1.2 kB row in place. The line keeps the payload only when the bus is not durable
 * (for the replay at start, see replayPublished).
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private wakeRequested = false;
  private lastCleanup = 0;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly resolvers = new Map<string, RecipeResolver>();

  /** Deletes a slice's rows and logs them as published; payloads only kept for a bus that loses records. */
  private readonly moveSql: string;
  /** Moves rows the bus can never take to message_parked, payloads kept, with the reason. */
  private readonly parkSql: string;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 10_000;
    this.idleMs = options.idleMs ?? 200;
    const { schema } = options;
    const keep = (column: string) => (options.bus.durable ? `NULL::json AS ${column}` : column);
    this.moveSql = `WITH sent AS (
        DELETE FROM "${schema}".message_outbox WHERE id = ANY($1::bigint[])
        RETURNING id, topic, key, event_id, event_type, created_at, events, ${keep('payload')}, ${keep('recipe')})
      INSERT INTO "${schema}".message_published
        (id, topic, key, event_id, event_type, created_at, published_at, events, payload, recipe)
      SELECT id, topic, key, event_id, event_type, created_at, now(), events, payload, recipe FROM sent`;
    this.parkSql = `WITH parked AS (
        DELETE FROM "${schema}".message_outbox WHERE id = ANY($1::bigint[])
        RETURNING id, topic, key, event_id, event_type, created_at, events, payload, recipe)
      INSERT INTO "${schema}".message_parked
        (id, topic, key, event_id, event_type, created_at, reason, events, payload, recipe)
      SELECT id, topic, key, event_id, event_type, created_at, $2, events, payload, recipe FROM parked`;
  }

  /** How this service's recipes of `kind` are rebuilt when their records are not in memory (decision 0016). */
  registerRecipe(kind: string, resolver: RecipeResolver): void {
    this.resolvers.set(kind, resolver);
  }

  /** The records of recipe rows, rebuilt by their kinds' resolvers; rows in the given order. */
  private async rebuild(manager: EntityManager, recipes: string[]): Promise<RecipeRecord[][]> {
    const parsed = recipes.map(
      (text) => JSON.parse(text) as { kind: string; data: unknown; traces?: Record<string, string> },
    );
    const out: RecipeRecord[][] = new Array(parsed.length);
    for (const kind of new Set(parsed.map((r) => r.kind))) {
      const resolver = this.resolvers.get(kind);
      if (!resolver) throw new Error(`no resolver for outbox recipes of kind ${kind}`);
      const at = parsed.flatMap((r, i) => (r.kind === kind ? [i] : []));
      const rebuilt = await resolver(
        manager,
        at.map((i) => parsed[i].data),
      );
      at.forEach((i, j) => (out[i] = rebuilt[j]));
    }
    // the `traceparent`s the records had when written (decision 0049), put back as the writer put them
    parsed.forEach((r, i) => {
      const traces = r.traces;
      if (traces)
        out[i] = out[i].map((rec) =>
          traces[rec.key] ? { key: rec.key, value: withLeadingTraceparent(rec.value, traces[rec.key]) } : rec,
        );
    });
    return out;
  }

  /** What stored rows stand for: a payload's text, or a recipe's records rebuilt (rows in the given order). */
  private async storedValues(
    manager: EntityManager,
    rows: { payload: string | null; recipe: string | null }[],
  ): Promise<(string | RecipeRecord[])[]> {
    const recipes = rows.filter((r) => r.recipe !== null);
    const rebuilt = recipes.length
      ? await this.rebuild(
          manager,
          recipes.map((r) => r.recipe!),
        )
      : [];
    let next = 0;
    return rows.map((r) => (r.recipe === null ? r.payload! : rebuilt[next++]));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a transaction that wrote to the outbox committed: publish now rather than at the next poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    // drain what was committed before shutdown
    try {
      while ((await this.publishPending()) > 0);
    } catch (err) {
      this.options.logger.warn({ err }, 'outbox drain on shutdown failed; rows stay for the next start');
    }
  }

  /**
   * One pass: publishes up to batchSize rows; returns how many. Safe to call from several replicas.
   *
   * A large pass goes in slices, one after the other on the bus, and marks each slice while the next one
   * is being sent: the marking (database work) overlaps the sending (encoding here, the broker's work)
   * instead of following it. The order on the bus is the order of the slices; a crash before the commit
   * sends the pass again (consumers de-duplicate).
   */
  async publishPending(): Promise<number> {
    return (await this.pass()).count;
  }

  /** A pass; `drained`: it took every row there was when it read them. */
  private async pass(): Promise<{ count: number; drained: boolean }> {
    const { schema, dataSource, bus, cache } = this.options;
    cache?.sweep();
    const { count, drained } = await dataSource.transaction(async (manager) => {
      const none = (drained: boolean) => ({ count: 0, drained });
      const [{ locked }] = await manager.query(
        'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
        [RELAY_LOCK, schema],
      );
      if (!locked) return none(false);
      // a wake from here on may be for rows this read does not see; one before it is for rows it does
      this.wakeRequested = false;
      const selected: { id: string; topic: string; key: string; event_type: string; events: number }[] =
        await manager.query(
          `SELECT id, topic, key, event_type, events FROM "${schema}".message_outbox ORDER BY id LIMIT $1`,
          [this.batchSize],
        );
      outboxPending.set({ service: this.options.service }, selected.length);
      // whole rows, up to batchSize events (a recipe row stands for many)
      let rowCount = 0;
      for (let budget = 0; rowCount < selected.length; rowCount += 1) {
        budget += selected[rowCount].events;
        if (rowCount > 0 && budget > this.batchSize) break;
      }
      const rows = selected.slice(0, rowCount);
      const drained = selected.length < this.batchSize && rowCount === selected.length;
      if (rows.length === 0) return none(drained);
      const values: (CachedValue | string | undefined)[] = rows.map((r) => cache?.take(String(r.id)));
      const missing = rows.filter((_, i) => values[i] === undefined).map((r) => r.id);
      if (missing.length > 0) {
        // written by another replica, or before a restart: read them (payloads as text, not re-serialised;
        // recipes rebuilt from the service's tables)
        const read: { id: string; payload: string | null; recipe: string | null }[] = await manager.query(
          `SELECT id, payload::text AS payload, recipe::text AS recipe FROM "${schema}".message_outbox
           WHERE id = ANY($1::bigint[]) ORDER BY id`,
          [missing],
        );
        const stored = await this.storedValues(manager, read);
        const byId = new Map(read.map((r, i) => [String(r.id), stored[i]]));
        rows.forEach((r, i) => (values[i] ??= byId.get(String(r.id))));
      }
      const limit = bus.maxRecordBytes;
      if (limit !== undefined) {
        // a record the bus can never take would fail this pass and every one after it: parked instead
        const parked = rows.filter((r, i) => !fits(values[i] as CachedValue | string, r.key, limit));
        if (parked.length > 0) {
          const ids = parked.map((r) => r.id);
          await manager.query(this.parkSql, [ids, `a record over the bus's limit of ${limit} bytes`]);
          outboxParked.inc({ service: this.options.service }, parked.length);
          this.options.logger.error(
            { ids, limit },
            'outbox rows over the bus size limit parked in message_parked',
          );
          for (let i = rows.length - 1; i >= 0; i -= 1) {
            if (ids.includes(rows[i].id)) {
              rows.splice(i, 1);
              values.splice(i, 1);
            }
          }
          if (rows.length === 0) return none(drained);
        }
      }
      // the records in row order, and after which record each row is wholly sent
      const { records, rowEnds } = recordsOf(rows, values as (CachedValue | string)[]);
      const endSpans = tracingEnabled() ? startRelayPublish(this.options.service, records) : undefined;
      try {
        await this.send(manager, records, rows, rowEnds);
        endSpans?.();
      } catch (err) {
        endSpans?.(err);
        throw err;
      }
      return { count: records.length, drained };
    });
    if (count > 0) outboxPublished.inc({ service: this.options.service }, count);
    // what the pass read is sent: none waits (no later pass, which would say so, may come until a wake)
    if (drained) outboxPending.set({ service: this.options.service }, 0);
    return { count, drained };
  }

  /** Sends a pass's records in slices, moving each slice's rows out while the next one is sent. */
  private async send(
    manager: EntityManager,
    records: OutgoingRecord[],
    rows: { id: string }[],
    rowEnds: number[],
  ): Promise<void> {
    const { bus } = this.options;
    let marked = 0;
    const markUpTo = (sent: number) => {
      const ids: string[] = [];
      while (marked < rows.length && rowEnds[marked] <= sent) ids.push(rows[marked++].id);
      return ids.length > 0 ? manager.query(this.moveSql, [ids]) : Promise.resolve();
    };
    let marking: Promise<unknown> = Promise.resolve();
    for (let start = 0; start < records.length; start += RELAY_SLICE) {
      const sent = bus.publish(records.slice(start, start + RELAY_SLICE));
      // both settle before the next step, so that a failure of either never goes unobserved
      const [published] = await Promise.allSettled([sent, marking]);
      await marking;
      if (published.status === 'rejected') throw published.reason;
      marking = markUpTo(start + RELAY_SLICE);
    }
    await marking;
    await markUpTo(Infinity); // rows whose recipe stood for no record
  }

  private async run(): Promise<void> {
    let failures = 0;
    let replayed = this.options.bus.durable;
    let idle = false;
    while (this.running) {
      try {
        if (!replayed) {
          await this.replayPublished();
          replayed = true;
        }
        const woken = this.wakeRequested;
        this.wakeRequested = false;
        // A relay that took every row there was first asks whether any row waits: one statement where a
        // pass takes four (begin, lock, select, commit). Most passes would find nothing: four services'
        // every 200 ms, and the one after each pass that emptied the outbox.
        if (!idle || woken || (await this.anyPending())) {
          const { count, drained } = await this.pass();
          idle = drained || count === 0;
        } else idle = true;
        failures = 0;
        await this.cleanup();
      } catch (err) {
        failures += 1;
        this.options.logger.error({ err, failures }, 'outbox relay pass failed; retrying');
        await this.sleep(Math.min(100 * 2 ** failures, 5000));
        continue;
      }
      if (idle && !this.wakeRequested) await this.sleep(this.idleMs);
    }
  }

  /**
   * A bus that keeps records in memory only (the in-process bus) lost, with the previous process, what
   * it had not delivered yet; which rows those were is not known, so every published row still kept
   * (a `message_published` line with its payload, within `retainPublishedMs`) goes out again, in id order, before any new row — per key the
   * published rows precede the unpublished ones, so order holds. Consumers skip what they had applied.
   */
  private async replayPublished(): Promise<void> {
    const { schema, dataSource, bus, logger } = this.options;
    let after = '0';
    let total = 0;
    for (;;) {
      const rows: {
        id: string;
        topic: string;
        key: string;
        event_type: string;
        payload: string | null;
        recipe: string | null;
      }[] = await dataSource.query(
        `SELECT id, topic, key, event_type, payload::text AS payload, recipe::text AS recipe FROM "${schema}".message_published
           WHERE (payload IS NOT NULL OR recipe IS NOT NULL) AND id > $1 ORDER BY id LIMIT $2`,
        [after, this.batchSize],
      );
      if (rows.length === 0) break;
      const { records } = recordsOf(rows, await this.storedValues(dataSource.manager, rows));
      await bus.publish(records);
      total += records.length;
      after = String(rows[rows.length - 1].id);
    }
    if (total > 0)
      logger.info({ records: total }, 'published outbox rows sent again: the bus does not keep records');
  }

  private async anyPending(): Promise<boolean> {
    const [{ pending }] = await this.options.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM "${this.options.schema}".message_outbox) AS pending`,
    );
    return pending === true;
  }

  private async cleanup(): Promise<void> {
    const retain = this.options.retainPublishedMs ?? 3600_000;
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.options.dataSource.query(
      `DELETE FROM "${this.options.schema}".message_published
       WHERE published_at < now() - make_interval(secs => $1)`,
      [retain / 1000],
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
