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

export function messagingTablesDown(schema: string): string[] {
  return [`DROP TABLE "${schema}".message_inbox`, `DROP TABLE "${schema}".message_outbox`];
}
