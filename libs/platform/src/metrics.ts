import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per process; services add their own metrics to it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const messagesConsumed = new Counter({
  name: 'messaging_messages_consumed_total',
  help: 'Messages handled by a consumer, by outcome (applied, duplicate, ignored, dead_lettered)',
  labelNames: ['consumer', 'topic', 'outcome'],
  registers: [metricsRegistry],
});

export const outboxPublished = new Counter({
  name: 'messaging_outbox_published_total',
  help: 'Events published by the outbox relay',
  labelNames: ['service'],
  registers: [metricsRegistry],
});

export const outboxPending = new Gauge({
  name: 'messaging_outbox_pending',
  help: 'Outbox rows seen unpublished at the last relay pass',
  labelNames: ['service'],
  registers: [metricsRegistry],
});
