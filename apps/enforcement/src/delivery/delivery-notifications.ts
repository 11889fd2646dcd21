import { EventEmitter } from 'node:events';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { embeddedPostgresOf } from '@credit/persistence';
import { ROOT_LOGGER } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';

/** NOTIFY channels, payload the department code; sent from the delivery consumer's transaction. */
export const NotifyChannels = {
  /** a department's stream has new events */
  assignments: 'credit_assignments',
  /** a department has deliveries due */
  deliveries: 'credit_deliveries',
} as const;

export type NotifyChannel = (typeof NotifyChannels)[keyof typeof NotifyChannels];

/**
 * One dedicated PostgreSQL connection LISTENing for the notifications above, so that every replica
 * learns at once what any replica's consumer committed. Only a wake-up: readers poll as well, so a lost
 * notification (while reconnecting) costs latency, never an event.
 */
@Injectable()
export class DeliveryNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: Client;
  private unlisten: (() => Promise<void>)[] = [];
  private closing = false;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly emitter = new EventEmitter();
  private readonly log: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
    this.log = logger.child({ service: 'enforcement', component: 'delivery-notifications' });
  }

  on(channel: NotifyChannel, listener: (dept: string) => void): () => void {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    const embedded = embeddedPostgresOf(this.db);
    if (embedded) {
      // one process, one session: it listens itself (a second connection does not exist)
      for (const channel of Object.values(NotifyChannels)) {
        this.unlisten.push(await embedded.listen(channel, (dept) => this.emitter.emit(channel, dept)));
      }
      return;
    }
    await this.connect(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const unlisten of this.unlisten.splice(0)) await unlisten().catch(() => undefined);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(failures: number): Promise<void> {
    if (this.closing) return;
    const o = this.db.options as PostgresConnectionOptions;
    const client = new Client({
      connectionString: o.url,
      host: o.host,
      port: o.port,
      user: o.username,
      password: typeof o.password === 'string' ? o.password : undefined,
      database: o.database,
      application_name: 'enforcement-listen',
    });
    client.on('notification', (n) => {
      if (n.payload !== undefined) this.emitter.emit(n.channel, n.payload);
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'notification connection failed; reconnecting');
      this.retry(client, 1);
    });
    client.on('end', () => this.retry(client, 1));
    try {
      await client.connect();
      for (const channel of Object.values(NotifyChannels)) await client.query(`LISTEN ${channel}`);
      if (this.closing) {
        await client.end();
        return;
      }
      this.client = client;
    } catch (err) {
      this.log.warn({ err, failures }, 'cannot LISTEN for notifications yet; polling meanwhile');
      this.retry(client, failures + 1);
    }
  }

  private retry(client: Client, failures: number): void {
    if (this.closing || (this.client && this.client !== client) || this.reconnectTimer) return;
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = undefined;
        void this.connect(failures);
      },
      Math.min(200 * 2 ** failures, 10_000),
    );
  }
}

/** Inside a transaction: tell every replica, once it commits, that `dept` has something new. */
export async function notifyAfterCommit(
  manager: { query(sql: string, params: unknown[]): Promise<unknown> },
  channel: NotifyChannel,
  dept: string,
): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [channel, dept]);
}
