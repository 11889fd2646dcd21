import { MigrationInterface, QueryRunner } from 'typeorm';

/** Push delivery (issue 5): webhook deliveries and their log, department secrets, the event stream. */
export class EnforcementDeliveryLog1764300000000 implements MigrationInterface {
  name = 'EnforcementDeliveryLog1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.delivery_targets (
      assignment_id uuid PRIMARY KEY,
      dept text NOT NULL,
      channel text NOT NULL,
      webhook_url text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE enforcement.deliveries (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      dept text NOT NULL,
      assignment_id uuid NOT NULL,
      subject_key text NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      url text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
      attempts int NOT NULL DEFAULT 0,
      replays int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      retry_from timestamptz NOT NULL,
      lease uuid,
      last_attempt_at timestamptz,
      last_status_code int,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      CONSTRAINT deliveries_once UNIQUE (dept, event_id)
    )`);
    await q.query(`CREATE INDEX deliveries_due ON enforcement.deliveries (next_attempt_at)
      WHERE status IN ('pending', 'failed')`);
    await q.query(`CREATE INDEX deliveries_open_subject ON enforcement.deliveries (dept, subject_key, seq)
      WHERE status IN ('pending', 'failed')`);
    await q.query(`CREATE INDEX deliveries_log ON enforcement.deliveries (dept, seq)`);
    await q.query(`CREATE INDEX deliveries_assignment ON enforcement.deliveries (assignment_id)`);
    await q.query(`CREATE TABLE enforcement.webhook_secrets (
      dept text PRIMARY KEY,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // xid: the writing transaction, so that readers can follow in commit order (see assignment-stream)
    await q.query(`CREATE TABLE enforcement.stream_events (
      id bigserial PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      dept text NOT NULL,
      assignment_id uuid NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX stream_events_dept ON enforcement.stream_events (dept, xid, id)`);
    await q.query(`CREATE INDEX stream_events_created ON enforcement.stream_events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.stream_events');
    await q.query('DROP TABLE enforcement.webhook_secrets');
    await q.query('DROP TABLE enforcement.deliveries');
    await q.query('DROP TABLE enforcement.delivery_targets');
  }
}
