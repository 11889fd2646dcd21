import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 区域联合奖惩 (decision 0035): partner platforms and their keys, recognition agreements (inbound: their
 * list type → ours and the measures that apply here; outbound: our list type → a receiving region), the
 * entries received with their origin, the inbound documents accepted (replays are answered from here),
 * and the outbound documents, positioned after commit like the publication feed.
 */
export class RegistryExchange1768020000000 implements MigrationInterface {
  name = 'RegistryExchange1768020000000';

  async up(q: QueryRunner): Promise<void> {
    // an entry received from a partner region ends when its origin withdraws it
    await q.query(`ALTER TABLE registry.list_entries DROP CONSTRAINT list_entries_end_reason_check`);
    await q.query(`ALTER TABLE registry.list_entries ADD CONSTRAINT list_entries_end_reason_check
      CHECK (end_reason IN ('expired', 'repaired', 'revoked', 'corrected', 'withdrawn_by_origin'))`);
    await q.query(`CREATE TABLE registry.exchange_partners (
      key_id text PRIMARY KEY,
      region text NOT NULL,
      platform text NOT NULL,
      dept text NOT NULL REFERENCES registry.departments (code),
      public_key text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      registered_at timestamptz NOT NULL,
      registered_by text NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX exchange_partners_dept ON registry.exchange_partners (dept)`);
    await q.query(`CREATE INDEX exchange_partners_region ON registry.exchange_partners (region)`);
    await q.query(`CREATE TABLE registry.exchange_agreements (
      id uuid PRIMARY KEY,
      direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      partner_region text NOT NULL,
      their_list_type text,
      our_list_type text NOT NULL REFERENCES registry.list_types (code),
      measures text[] NOT NULL DEFAULT '{}',
      effective_from date NOT NULL,
      effective_to date,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      CHECK (direction = 'outbound' OR their_list_type IS NOT NULL),
      CHECK (effective_to IS NULL OR effective_to >= effective_from))`);
    await q.query(`CREATE INDEX exchange_agreements_inbound ON registry.exchange_agreements
      (partner_region, their_list_type) WHERE direction = 'inbound'`);
    await q.query(`CREATE INDEX exchange_agreements_outbound ON registry.exchange_agreements
      (our_list_type) WHERE direction = 'outbound'`);
    await q.query(`CREATE TABLE registry.exchange_origins (
      entry_id uuid PRIMARY KEY REFERENCES registry.list_entries (id),
      origin_region text NOT NULL,
      origin_platform text NOT NULL,
      original_id text NOT NULL,
      version int NOT NULL,
      agreement_id uuid NOT NULL REFERENCES registry.exchange_agreements (id),
      recognised_measures text[] NOT NULL,
      received_at timestamptz NOT NULL,
      UNIQUE (origin_region, original_id))`);
    await q.query(`CREATE TABLE registry.exchange_inbound (
      origin_region text NOT NULL,
      original_id text NOT NULL,
      version int NOT NULL,
      kind text NOT NULL CHECK (kind IN ('publication', 'withdrawal')),
      digest text NOT NULL,
      key_id text NOT NULL,
      signature text NOT NULL,
      document jsonb NOT NULL,
      entry_id uuid,
      outcome jsonb,
      received_at timestamptz NOT NULL,
      received_by text NOT NULL,
      PRIMARY KEY (origin_region, original_id, version))`);
    await q.query(`CREATE TABLE registry.exchange_outbound (
      id bigserial PRIMARY KEY,
      position bigint UNIQUE,
      partner_region text NOT NULL,
      entry_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('publication', 'withdrawal')),
      version int NOT NULL,
      document jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      sequenced_at timestamptz,
      UNIQUE (partner_region, entry_id, version))`);
    await q.query(
      `CREATE INDEX exchange_outbound_unsequenced ON registry.exchange_outbound (id) WHERE position IS NULL`,
    );
    await q.query(
      `CREATE INDEX exchange_outbound_region ON registry.exchange_outbound (partner_region, position)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbound', 'inbound', 'origins', 'agreements', 'partners'])
      await q.query(`DROP TABLE registry.exchange_${table}`);
    await q.query(`ALTER TABLE registry.list_entries DROP CONSTRAINT list_entries_end_reason_check`);
    await q.query(`ALTER TABLE registry.list_entries ADD CONSTRAINT list_entries_end_reason_check
      CHECK (end_reason IN ('expired', 'repaired', 'revoked', 'corrected'))`);
  }
}
