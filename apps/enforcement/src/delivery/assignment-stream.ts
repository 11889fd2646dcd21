import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { Principal } from '@credit/auth';
import { ACCESS_RECORDER, AccessRecorder, subjectsInResponse } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DELIVERY_OPTIONS, DeliveryOptions } from './delivery.options';
import { DeliveryNotifications, NotifyChannels } from './delivery-notifications';

/**
 * A position in a department's stream: the writing transaction's id, then the row id. Rows are read
 * only once every transaction that could still write before them has ended (xid below the snapshot's
 * xmin), and in (xid, id) order: a row committed late can never slip in behind a position already
 * passed, which a plain id or timestamp would allow. Sent as the SSE `id:` (`<xid>-<id>`).
 */
export interface StreamPosition {
  xid: string;
  id: string;
}

export function formatPosition(p: StreamPosition): string {
  return `${p.xid}-${p.id}`;
}

export function parsePosition(value: string | undefined): StreamPosition | null | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(value.trim());
  return match ? { xid: match[1], id: match[2] } : null;
}

interface StreamRow {
  id: string;
  xid: string;
  event_type: string;
  payload: unknown;
}

const PAGE = 200;
/** how a streamed item is named in the access log */
export const STREAM_READ = 'GET /v1/stream';

/**
 * Server-sent events of a department's assignment events, fed from the database (not from this
 * replica's consumer: another replica may have consumed them), woken by NOTIFY and polling meanwhile.
 */
@Injectable()
export class AssignmentStream implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly open = new Set<() => void>();
  private pruneTimer?: NodeJS.Timeout;
  private readonly log: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    private readonly notifications: DeliveryNotifications,
    @Inject(ACCESS_RECORDER) private readonly recorder: AccessRecorder,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ service: 'enforcement', component: 'assignment-stream' });
  }

  /** Where a new stream starts: after everything committed so far. */
  async tail(): Promise<StreamPosition> {
    const [row]: { xid: string }[] = await this.db.query(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xid',
    );
    return { xid: row.xid, id: '0' };
  }

  async read(dept: string, after: StreamPosition, limit = PAGE): Promise<StreamRow[]> {
    return this.db.query(
      `SELECT id::text AS id, xid::text AS xid, event_type, payload FROM enforcement.stream_events
       WHERE dept = $1 AND (xid, id) > ($2::xid8, $3::bigint)
         AND xid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY xid, id LIMIT $4`,
      [dept, after.xid, after.id, limit],
    );
  }

  /**
   * Pushes the caller's department's events after `from` to `out` until the client goes or the app
   * stops. Each event carries a subject's data: every page sent is recorded in the access log, one
   * record per subject (decision 0021), batched by the recorder like any other read.
   */
  follow(principal: Principal, from: StreamPosition, out: ServerResponse): void {
    const dept = principal.dept;
    let position = from;
    let closed = false;
    let reading = false;
    let again = false;

    const pump = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const rows = await this.read(dept, position);
          const sent: unknown[] = [];
          try {
            for (const row of rows) {
              if (closed) return;
              position = { xid: row.xid, id: row.id };
              const frame = `id: ${formatPosition(position)}\nevent: ${row.event_type}\ndata: ${JSON.stringify(row.payload)}\n\n`;
              sent.push(row.payload);
              if (!out.write(frame)) await once(out, 'drain');
            }
          } finally {
            const subjects = subjectsInResponse(sent);
            if (subjects.length > 0) this.recorder.recordRead(principal, STREAM_READ, subjects);
          }
          if (rows.length === PAGE) again = true;
        } while (again && !closed);
      } catch (err) {
        if (!closed) this.log.warn({ err, dept }, 'reading the stream failed; trying again at the next poll');
      } finally {
        reading = false;
      }
    };

    const poll = setInterval(() => void pump(), this.options.pollMs);
    const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), this.options.heartbeatMs);
    const unlisten = this.notifications.on(NotifyChannels.assignments, (d) => {
      if (d === dept) void pump();
    });
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(heartbeat);
      unlisten();
      this.open.delete(close);
      if (!out.writableEnded) out.end();
    };
    this.open.add(close);
    out.on('close', close);
    out.on('error', close);
    void pump();
  }

  onApplicationBootstrap(): void {
    const prune = () =>
      this.prune().catch((err: unknown) => this.log.warn({ err }, 'pruning the stream failed'));
    this.pruneTimer = setInterval(prune, 3_600_000);
    this.pruneTimer.unref();
  }

  /** Open streams would hold the HTTP server open: end them before it closes. */
  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
    for (const close of [...this.open]) close();
  }

  /** Drops stream rows older than the retention (no one resumes that far back). */
  async prune(): Promise<void> {
    await this.db.query(
      `DELETE FROM enforcement.stream_events WHERE created_at < now() - make_interval(secs => $1)`,
      [this.options.streamRetentionMs / 1000],
    );
  }
}
