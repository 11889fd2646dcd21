import { Provider } from '@nestjs/common';

/** How webhook delivery retries and how hard it pushes on one department's endpoint. */
export interface DeliveryOptions {
  /** Delay after the first failed attempt; doubled after each further one (30 s, 1 min, 2 min …). */
  retryBaseMs: number;
  /** Longest delay between two attempts (1 h). */
  retryMaxMs: number;
  /** After this many failed attempts in a row the delivery is dead (a replay starts a fresh set). */
  maxAttempts: number;
  /** …or once this long has passed since the delivery (or its replay) was first due (24 h). */
  maxAgeMs: number;
  /** One POST may take this long before it counts as failed. */
  timeoutMs: number;
  /** How often the dispatcher looks for due deliveries when nothing woke it. */
  pollMs: number;
  /** POSTs in flight at once to one department, per replica: a slow endpoint only uses its own slots. */
  perDepartmentConcurrency: number;
  /** POSTs in flight at once over all departments, per replica. */
  maxInFlight: number;
  /** Server-sent-events heartbeat comment interval. */
  heartbeatMs: number;
  /** How long the stream's event log is kept for resuming with Last-Event-ID. */
  streamRetentionMs: number;
  /** A delivered (or dead) delivery's payload is dropped this long after (7 days); the log row stays. */
  payloadRetentionMs: number;
  /** How often the payload retention job runs (0: never; tests run it themselves). */
  payloadRetentionIntervalMs: number;
}

export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  maxAttempts: 30,
  maxAgeMs: 24 * 3_600_000,
  timeoutMs: 5_000,
  pollMs: 500,
  perDepartmentConcurrency: 4,
  maxInFlight: 64,
  heartbeatMs: 15_000,
  streamRetentionMs: 7 * 24 * 3_600_000,
  payloadRetentionMs: 7 * 24 * 3_600_000,
  payloadRetentionIntervalMs: 3_600_000,
};

/** The options as given to the module (read from the environment by main.ts, at the process boundary). */
export function deliveryOptionsProvider(options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS): Provider {
  return { provide: DELIVERY_OPTIONS, useValue: options };
}

/** Delay before the next attempt after `failures` failed attempts in a row: doubling, capped. */
export function retryDelayMs(failures: number, options: Pick<DeliveryOptions, 'retryBaseMs' | 'retryMaxMs'>) {
  const exponent = Math.max(failures - 1, 0);
  return Math.min(options.retryBaseMs * 2 ** Math.min(exponent, 40), options.retryMaxMs);
}
