import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The listed subject as a party (issue 13, decision 0024): the statement period a list type must give,
 * what a notice says, statements (陈述申辩) with their answers, who filed an objection, and the measures
 * in force against each subject or related person (registry's own copy of trigger's assignment events).
 */
export class RegistrySubjectParty1767100000000 implements MigrationInterface {
  name = 'RegistrySubjectParty1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_types
      ADD COLUMN min_statement_working_days int,
      ADD COLUMN min_statement_reason text`);
    await q.query(`ALTER TABLE registry.list_entries
      ADD COLUMN notice_reasons text,
      ADD COLUMN notice_legal_basis text,
      ADD COLUMN notice_rights text`);
    await q.query(`CREATE TABLE registry.statements (
      id uuid PRIMARY KEY,
      receipt_no text NOT NULL UNIQUE,
      entry_id uuid NOT NULL REFERENCES registry.list_entries (id),
      owner_dept text NOT NULL,
      content text NOT NULL,
      filed_by_role text NOT NULL,
      filed_by text NOT NULL,
      filed_by_dept text,
      on_behalf_of text NOT NULL,
      received_at timestamptz NOT NULL,
      status text NOT NULL,
      reply text,
      remedy text,
      answered_at timestamptz,
      answered_by text
    )`);
    await q.query('CREATE INDEX statements_entry_idx ON registry.statements (entry_id)');
    await q.query('CREATE INDEX statements_on_behalf_of_idx ON registry.statements (on_behalf_of)');
    await q.query(`ALTER TABLE registry.objections
      ADD COLUMN receipt_no text UNIQUE,
      ADD COLUMN filed_by_role text NOT NULL DEFAULT 'initiator',
      ADD COLUMN on_behalf_of text`);
    await q.query('CREATE INDEX objections_on_behalf_of_idx ON registry.objections (on_behalf_of)');
    await q.query(`CREATE TABLE registry.subject_measures (
      assignment_id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      dept text NOT NULL,
      measure_code text NOT NULL,
      measure_text text NOT NULL,
      mode text NOT NULL,
      legal_basis text NOT NULL,
      target_id text NOT NULL,
      target_role text,
      until timestamptz NOT NULL,
      issued_at timestamptz NOT NULL,
      suspended boolean NOT NULL DEFAULT false
    )`);
    await q.query('CREATE INDEX subject_measures_target_idx ON registry.subject_measures (target_id)');
    await q.query('CREATE INDEX subject_measures_entry_idx ON registry.subject_measures (entry_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE registry.subject_measures');
    await q.query(`ALTER TABLE registry.objections
      DROP COLUMN receipt_no, DROP COLUMN filed_by_role, DROP COLUMN on_behalf_of`);
    await q.query('DROP TABLE registry.statements');
    await q.query(`ALTER TABLE registry.list_entries
      DROP COLUMN notice_reasons, DROP COLUMN notice_legal_basis, DROP COLUMN notice_rights`);
    await q.query(`ALTER TABLE registry.list_types
      DROP COLUMN min_statement_working_days, DROP COLUMN min_statement_reason`);
  }
}
