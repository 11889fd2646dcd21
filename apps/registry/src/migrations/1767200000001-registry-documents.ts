import { MigrationInterface, QueryRunner } from 'typeorm';

/** Documents served on the subject (两书同达), kept with the entry; pending ones await the job (decision 0026). */
export class RegistryDocuments1767200000001 implements MigrationInterface {
  name = 'RegistryDocuments1767200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE registry.documents (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL REFERENCES registry.list_entries (id),
      application_id uuid REFERENCES registry.repair_applications (id),
      kind text NOT NULL
        CHECK (kind IN ('listing_decision', 'repair_notice', 'repair_decision', 'statement_answer')),
      owner_dept text NOT NULL,
      title text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'issued', 'redacted')),
      content bytea,
      sha256 text,
      size int,
      requested_at timestamptz NOT NULL,
      claimed_until timestamptz,
      issued_at timestamptz
    )`);
    await q.query('CREATE INDEX documents_entry ON registry.documents (entry_id)');
    await q.query(
      `CREATE INDEX documents_pending ON registry.documents (requested_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE registry.documents');
  }
}
