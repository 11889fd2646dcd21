import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent } from '@credit/contracts';
import { outboxPending, outboxPublished } from '@credit/platform';
import { MessageBus } from './message-bus';

export interface OutboxMessage {
  topic: string;
  /** The record key: the subject's identifier, so that every event about a subject stays in order. */
  key: string;
  event: CloudEvent;
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
 * are marked published one by one (never a high-water mark), so an id gap loses nothing.
 *
 * A bulk writer (an import of 50,000 subjects) cannot take a lock per key — PostgreSQL's lock table is
 * small — so it takes the schema's outbox lock exclusively instead, and every ordinary writer holds that
 * lock shared while it writes: a bulk write and any other write of the same schema never interleave.
 * Ordinary writers take the shared lock before any key lock, and their key locks in sorted order.
 */
export class Outbox {
  constructor(private readonly schema: string) {}

  async add(
    manager: EntityManager,
    messages: OutboxMessage[],
    options: { bulk?: boolean } = {},
  ): Promise<void> {
    if (messages.length === 0) return;
    if (options.bulk) {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, this.schema]);
    } else {
      await manager.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [
        SCHEMA_LOCK,
        this.schema,
      ]);
      const keys = [...new Set(messages.map((m) => `${this.schema}:${m.key}`))].sort();
      await manager.query(
        'SELECT pg_advisory_xact_lock($1, hashtext(k)) FROM unnest($2::text[]) WITH ORDINALITY AS x(k, n) ORDER BY n',
        [KEY_LOCK, keys],
      );
    }
    for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
      // one JSON document per chunk: far cheaper to send and parse than five parallel arrays
      const chunk = messages.slice(i, i + INSERT_CHUNK).map((m) => ({ t: m.topic, k: m.key, e: m.event }));
      await manager.query(
        `INSERT INTO "${this.schema}".message_outbox (topic, key, event_id, event_type, payload)
         SELECT m->>'t', m->>'k', (m->'e'->>'id')::uuid, m->'e'->>'type', m->'e'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(m, n) ORDER BY n`,
        [JSON.stringify(chunk)],
      );
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
  /** Published rows are deleted after this long (they are already on the bus). */
  retainPublishedMs?: number;
}

/** Publishes committed outbox rows in id order and marks them sent. */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private wakeRequested = false;
  private lastCleanup = 0;
  private readonly batchSize: number;
  private readonly idleMs: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 2000;
    this.idleMs = options.idleMs ?? 200;
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

  /** One pass: publishes up to batchSize rows; returns how many. Safe to call from several replicas. */
  async publishPending(): Promise<number> {
    const { schema, dataSource, bus } = this.options;
    const count = await dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(
        'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
        [RELAY_LOCK, schema],
      );
      if (!locked) return 0;
      // the payload as text: no parse and re-serialise of every event on the way through
      const rows: { id: string; topic: string; key: string; payload: string }[] = await manager.query(
        `SELECT id, topic, key, payload::text AS payload FROM "${schema}".message_outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
      outboxPending.set({ service: this.options.service }, rows.length);
      if (rows.length === 0) return 0;
      await bus.publish(
        rows.map((r) => ({
          topic: r.topic,
          key: r.key,
          value: r.payload,
          headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        })),
      );
      await manager.query(
        `UPDATE "${schema}".message_outbox SET published_at = now() WHERE id = ANY($1::bigint[])`,
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });
    if (count > 0) outboxPublished.inc({ service: this.options.service }, count);
    return count;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        this.wakeRequested = false;
        published = await this.publishPending();
        failures = 0;
        await this.cleanup();
      } catch (err) {
        failures += 1;
        this.options.logger.error({ err, failures }, 'outbox relay pass failed; retrying');
        await this.sleep(Math.min(100 * 2 ** failures, 5000));
        continue;
      }
      if (published < this.batchSize && !this.wakeRequested) await this.sleep(this.idleMs);
    }
  }

  private async cleanup(): Promise<void> {
    const retain = this.options.retainPublishedMs ?? 3600_000;
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.options.dataSource.query(
      `DELETE FROM "${this.options.schema}".message_outbox
       WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)`,
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
