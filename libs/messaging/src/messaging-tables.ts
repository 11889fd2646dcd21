/**
 * DDL of the outbox and inbox tables, created in each service's own schema by that service's first
 * migration.
 */
export function messagingTablesUp(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".message_outbox (
       id bigserial PRIMARY KEY,
       topic text NOT NULL,
       key text NOT NULL,
       event_id uuid NOT NULL,
       event_type text NOT NULL,
       payload jsonb NOT NULL,
       headers jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    `CREATE INDEX message_outbox_pending ON "${schema}".message_outbox (id) WHERE published_at IS NULL`,
    `CREATE INDEX message_outbox_published ON "${schema}".message_outbox (published_at) WHERE published_at IS NOT NULL`,
    `CREATE TABLE "${schema}".message_inbox (
       consumer text NOT NULL,
       event_id text NOT NULL,
       event_type text NOT NULL,
       received_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer, event_id)
     )`,
  ];
}

/**
 * Second version of the outbox (run by each service's `*-outbox-v2` migration): the payload is kept as
 * `json` — the text exactly as written, checked for syntax but not decomposed — instead of `jsonb`, so an
 * event is serialised once in the writer and neither parsed into a binary document nor printed back
 * when the relay reads it. JSON operators (`payload->>'subject'`) still work.
 */
export function messagingTablesV2Up(schema: string): string[] {
  return [`ALTER TABLE "${schema}".message_outbox ALTER COLUMN payload TYPE json USING payload::json`];
}

export function messagingTablesV2Down(schema: string): string[] {
  return [`ALTER TABLE "${schema}".message_outbox ALTER COLUMN payload TYPE jsonb USING payload::jsonb`];
}

/**
 * Third version (each service's `*-outbox-published-log` migration): the relay deletes a row once
 * published and writes a narrow line (ids, key, times) to `message_published` instead of updating the
 * 1.2 kB row in place (a non-HOT update copies the whole row: ~3× the work of a delete, per 130k rows
 * 0.94 s against 0.27 s + 0.27 s for the narrow line). `message_outbox` then holds only pending rows, so
 * the pending index and `published_at` go. `payload` in the log is kept only when the bus is not durable
 * (the in-process bus: the relay sends the retained rows again at start); it is NULL otherwise. Lines
 * older than the retention window are deleted by the relay (BRIN on `published_at`: written in order).
 */
export function messagingTablesV3Up(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".message_published (
       id bigint PRIMARY KEY,
       topic text NOT NULL,
       key text NOT NULL,
       event_id uuid NOT NULL,
       event_type text NOT NULL,
       created_at timestamptz NOT NULL,
       published_at timestamptz NOT NULL,
       payload json
     )`,
    `CREATE INDEX message_published_at ON "${schema}".message_published USING brin (published_at)`,
    `INSERT INTO "${schema}".message_published
       (id, topic, key, event_id, event_type, created_at, published_at, payload)
     SELECT id, topic, key, event_id, event_type, created_at, published_at, payload
     FROM "${schema}".message_outbox WHERE published_at IS NOT NULL`,
    `DELETE FROM "${schema}".message_outbox WHERE published_at IS NOT NULL`,
    `DROP INDEX "${schema}".message_outbox_pending`,
    `DROP INDEX "${schema}".message_outbox_published`,
    `ALTER TABLE "${schema}".message_outbox DROP COLUMN published_at`,
  ];
}

export function messagingTablesV3Down(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".message_outbox ADD COLUMN published_at timestamptz`,
    `INSERT INTO "${schema}".message_outbox
       (id, topic, key, event_id, event_type, payload, created_at, published_at)
     SELECT id, topic, key, event_id, event_type, COALESCE(payload, 'null'::json), created_at, published_at
     FROM "${schema}".message_published`,
    `CREATE INDEX message_outbox_pending ON "${schema}".message_outbox (id) WHERE published_at IS NULL`,
    `CREATE INDEX message_outbox_published ON "${schema}".message_outbox (published_at) WHERE published_at IS NOT NULL`,
    `DROP TABLE "${schema}".message_published`,
  ];
}

/**
 * Fourth version (each service's `*-outbox-recipes` migration): a row holds either one event's payload or a
 * recipe — what the service's own tables need to rebuild a run of `events` events (a fan-out's issued
 * events: the assignment ids, decision 0016) — so that a transaction that writes thousands of events
 * writes one small row instead of their payloads. The published log keeps the recipe, like the payload,
 * only when the bus is not durable.
 */
export function messagingTablesV4Up(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".message_outbox ALTER COLUMN payload DROP NOT NULL,
       ADD COLUMN recipe json, ADD COLUMN events int NOT NULL DEFAULT 1,
       ADD CONSTRAINT message_outbox_payload_or_recipe CHECK ((payload IS NULL) <> (recipe IS NULL))`,
    `ALTER TABLE "${schema}".message_published ADD COLUMN recipe json, ADD COLUMN events int NOT NULL DEFAULT 1`,
  ];
}

/** Refused while recipe rows wait to be published (their events have no payload to fall back to). */
export function messagingTablesV4Down(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".message_published DROP COLUMN recipe, DROP COLUMN events`,
    `ALTER TABLE "${schema}".message_outbox DROP CONSTRAINT message_outbox_payload_or_recipe,
       DROP COLUMN recipe, DROP COLUMN events, ALTER COLUMN payload SET NOT NULL`,
  ];
}

/**
 * Fifth version (each service's `*-outbox-parked` migration): a row the bus can never take (a record over
 * the broker's size limit) is moved here with the reason instead of holding up every row behind it
 * (decision 0018). Kept for an operator to look at; never published.
 */
export function messagingTablesV5Up(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".message_parked (
       id bigint PRIMARY KEY,
       topic text NOT NULL,
       key text NOT NULL,
       event_id uuid NOT NULL,
       event_type text NOT NULL,
       created_at timestamptz NOT NULL,
       parked_at timestamptz NOT NULL DEFAULT now(),
       reason text NOT NULL,
       events int NOT NULL,
       payload json,
       recipe json
     )`,
  ];
}

export function messagingTablesV5Down(schema: string): string[] {
  return [`DROP TABLE "${schema}".message_parked`];
}

/** Every version in order: the tables as a service's migrations leave them today (tests of the library). */
export function messagingTablesLatestUp(schema: string): string[] {
  return [
    ...messagingTablesUp(schema),
    ...messagingTablesV2Up(schema),
    ...messagingTablesV3Up(schema),
    ...messagingTablesV4Up(schema),
    ...messagingTablesV5Up(schema),
  ];
}

export function messagingTablesDown(schema: string): string[] {
  return [`DROP TABLE "${schema}".message_inbox`, `DROP TABLE "${schema}".message_outbox`];
}
