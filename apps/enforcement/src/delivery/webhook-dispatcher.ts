import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CloudEvent } from '@credit/contracts';
import { ROOT_LOGGER, WebhookUrlErrors } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DeliveryFailures } from './delivery.errors';
import { DELIVERY_OPTIONS, DeliveryOptions, retryDelayMs } from './delivery.options';
import { DeliveryNotifications, NotifyChannels } from './delivery-notifications';
import { postPinned } from './pinned-post';
import { WebhookHostAllowList } from './webhook-policy';
import { WebhookSecrets } from './webhook-secrets';
import {
  DELIVERY_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from './webhook-signature';

interface ClaimedDelivery {
  id: string;
  dept: string;
  url: string;
  event_type: string;
  payload: CloudEvent;
  attempts: number;
  retry_from: Date;
  lease: string;
}

/** A failed attempt: a stable code and our short message for the department, the detail for our log. */
type Outcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; code: string; error: string; internal?: string };

/**
 * POSTs due deliveries to department webhooks. Rows are claimed with a lease (FOR UPDATE SKIP LOCKED,
 * so replicas never take the same row) and POSTed outside any transaction. Each department has its own
 * slots: a department whose endpoint is down or slow fills only its own, never another's. Rows of one
 * department and subject go out in the order they were written: a lift never overtakes its issue.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private wakeRequested = false;
  private unlisten?: () => void;
  private readonly inFlight = new Map<string, number>();
  private readonly posts = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    private readonly secrets: WebhookSecrets,
    private readonly allowList: WebhookHostAllowList,
    private readonly notifications: DeliveryNotifications,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ service: 'enforcement', component: 'webhook-dispatcher' });
  }

  onApplicationBootstrap(): void {
    this.unlisten = this.notifications.on(NotifyChannels.deliveries, () => this.wake());
    this.running = true;
    this.loop = this.run();
  }

  /** Something became due (a commit, a replay, a finished POST): look now rather than at the next poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Stops claiming; POSTs in flight end by their timeout at the latest, and their results are kept. */
  private async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unlisten?.();
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.posts]);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.wakeRequested = false;
        await this.dispatchDue();
        failures = 0;
      } catch (err) {
        failures += 1;
        this.log.error({ err, failures }, 'claiming due deliveries failed; retrying');
        await this.sleep(Math.min(100 * 2 ** failures, 5000));
        continue;
      }
      if (!this.wakeRequested) await this.sleep(this.options.pollMs);
    }
  }

  /** One pass: claims what the free slots allow, per department, and starts the POSTs. */
  async dispatchDue(): Promise<number> {
    const free = this.options.maxInFlight - this.posts.size;
    if (free <= 0) return 0;
    const busy = [...this.inFlight.entries()].filter(([, n]) => n > 0);
    const leaseSeconds = (this.options.timeoutMs + 60_000) / 1000;
    const lease = randomUUID();
    const claimed: ClaimedDelivery[] = await this.db.query(
      `WITH busy AS (
         SELECT * FROM unnest($1::text[], $2::int[]) AS b(dept, n)
       ), due AS (
         SELECT d.id, d.dept, row_number() OVER (PARTITION BY d.dept ORDER BY d.next_attempt_at, d.seq) AS rank
         FROM enforcement.deliveries d
         WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM enforcement.deliveries e
             WHERE e.dept = d.dept AND e.subject_key = d.subject_key AND e.seq < d.seq
               AND e.status IN ('pending', 'failed'))
       ), pick AS (
         SELECT due.id FROM due LEFT JOIN busy USING (dept)
         WHERE due.rank <= $3 - COALESCE(busy.n, 0)
         ORDER BY due.rank LIMIT $4
       ), claimed AS (
         UPDATE enforcement.deliveries d
         SET lease = $5, attempts = d.attempts + 1, last_attempt_at = now(),
             next_attempt_at = now() + make_interval(secs => $6)
         WHERE d.id IN (
           SELECT x.id FROM enforcement.deliveries x
           WHERE x.id IN (SELECT id FROM pick) AND x.status IN ('pending', 'failed') AND x.next_attempt_at <= now()
           FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.dept, d.url, d.event_type, d.payload, d.attempts, d.retry_from, d.lease
       )
       SELECT * FROM claimed`,
      [
        busy.map(([dept]) => dept),
        busy.map(([, n]) => n),
        this.options.perDepartmentConcurrency,
        free,
        lease,
        leaseSeconds,
      ],
    );
    for (const row of claimed) {
      this.inFlight.set(row.dept, (this.inFlight.get(row.dept) ?? 0) + 1);
      const post = this.deliver(row).finally(() => {
        this.posts.delete(post);
        const left = (this.inFlight.get(row.dept) ?? 1) - 1;
        if (left > 0) this.inFlight.set(row.dept, left);
        else this.inFlight.delete(row.dept);
        this.wake();
      });
      this.posts.add(post);
    }
    return claimed.length;
  }

  private async deliver(row: ClaimedDelivery): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.post(row);
    } catch (err) {
      outcome = {
        ok: false,
        status: null,
        code: DeliveryFailures.FAILED.code,
        error: 'the delivery could not be attempted',
        internal: (err as Error).message,
      };
    }
    try {
      await this.settle(row, outcome);
    } catch (err) {
      // the lease runs out and the row is tried again: at least once, never lost
      this.log.error({ err, deliveryId: row.id, dept: row.dept }, 'could not record a delivery attempt');
    }
  }

  /**
   * The URL policy again (the allow-list may have changed, the name may resolve elsewhere now), then the
   * POST to the address it checked, pinned.
   */
  private async post(row: ClaimedDelivery): Promise<Outcome> {
    const verdict = await this.allowList.check(row.url);
    if (!verdict.ok) return { ok: false, status: null, code: verdict.code, error: verdict.message };
    if (!verdict.address) {
      const error = `the webhook host ${verdict.host} does not resolve`;
      return { ok: false, status: null, code: WebhookUrlErrors.UNRESOLVABLE.code, error };
    }
    const secret = await this.secrets.forDepartment(row.dept);
    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await postPinned(
      verdict.url,
      verdict.address,
      {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'credit-platform-webhooks/1',
        [DELIVERY_ID_HEADER]: row.id,
        [EVENT_TYPE_HEADER]: row.event_type,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      },
      body,
      this.options.timeoutMs,
    );
    if (!('status' in answer)) {
      return { ok: false, status: null, code: answer.code, error: answer.message, internal: answer.internal };
    }
    if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status };
    return {
      ok: false,
      status: answer.status,
      code: DeliveryFailures.HTTP_STATUS.code,
      error: `HTTP ${answer.status}`,
    };
  }

  /** Records the attempt, unless a replay or another replica took the row over meanwhile (lease). */
  private async settle(row: ClaimedDelivery, outcome: Outcome): Promise<void> {
    const ref = { deliveryId: row.id, dept: row.dept, eventType: row.event_type, attempts: row.attempts };
    if (outcome.ok) {
      await this.db.query(
        `UPDATE enforcement.deliveries SET status = 'delivered', delivered_at = now(), lease = NULL,
           last_status_code = $3, last_error = NULL, last_error_code = NULL
         WHERE id = $1 AND lease = $2`,
        [row.id, row.lease, outcome.status],
      );
      this.log.info({ ...ref, status: outcome.status }, 'webhook delivered');
      return;
    }
    const delay = retryDelayMs(row.attempts, this.options);
    const age = Date.now() + delay - new Date(row.retry_from).getTime();
    const dead = row.attempts >= this.options.maxAttempts || age > this.options.maxAgeMs;
    await this.db.query(
      `UPDATE enforcement.deliveries SET status = $3, lease = NULL, last_status_code = $4, last_error = $5,
         last_error_code = $7, next_attempt_at = now() + make_interval(secs => $6)
       WHERE id = $1 AND lease = $2`,
      [
        row.id,
        row.lease,
        dead ? 'dead' : 'failed',
        outcome.status,
        outcome.error.slice(0, 500),
        delay / 1000,
        outcome.code,
      ],
    );
    const line = {
      ...ref,
      status: outcome.status,
      code: outcome.code,
      error: outcome.internal ?? outcome.error,
    };
    if (dead) this.log.warn(line, 'webhook delivery dead: no more attempts');
    else this.log.info({ ...line, retryInMs: delay }, 'webhook delivery failed; will retry');
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
