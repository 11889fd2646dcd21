import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesDown, messagingTablesUp } from '@credit/messaging';

export class RegistryInit1764000000000 implements MigrationInterface {
  name = 'RegistryInit1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE registry.departments (
      code text PRIMARY KEY,
      name text NOT NULL,
      region text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE registry.list_types (
      code text PRIMARY KEY,
      name text NOT NULL,
      colour text NOT NULL CHECK (colour IN ('red', 'black')),
      owner_dept text NOT NULL REFERENCES registry.departments (code),
      legal_basis text NOT NULL,
      info_class text NOT NULL CHECK (info_class IN ('A', 'B', 'C')),
      severity text NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
      default_period_days int NOT NULL CHECK (default_period_days > 0),
      subject_kinds text[] NOT NULL,
      notice_working_days int NOT NULL CHECK (notice_working_days >= 0),
      suspend_on_objection boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE registry.list_entries (
      id uuid PRIMARY KEY,
      list_type text NOT NULL REFERENCES registry.list_types (code),
      owner_dept text NOT NULL REFERENCES registry.departments (code),
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      subject_name text NOT NULL,
      related_persons jsonb NOT NULL DEFAULT '[]'::jsonb,
      decision_document_no text NOT NULL,
      decision_date date NOT NULL,
      decision_facts text NOT NULL,
      period_from timestamptz,
      period_to timestamptz,
      status text NOT NULL CHECK (status IN ('draft', 'noticed', 'published', 'ended')),
      noticed_at timestamptz,
      statement_deadline timestamptz,
      published_at timestamptz,
      ended_at timestamptz,
      end_reason text CHECK (end_reason IN ('expired', 'repaired', 'revoked', 'corrected')),
      end_note text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL
    )`);
    await q.query(`CREATE INDEX list_entries_subject ON registry.list_entries (subject_id)`);
    await q.query(`CREATE INDEX list_entries_status ON registry.list_entries (status, list_type)`);
    for (const sql of messagingTablesUp('registry')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDown('registry')) await q.query(sql);
    await q.query('DROP TABLE registry.list_entries');
    await q.query('DROP TABLE registry.list_types');
    await q.query('DROP TABLE registry.departments');
  }
}
