import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { publishedRecord } from '../publication/publication.rules';

/**
 * 公示 (issue 14): list types say whether a minor-severity list is published, departments whether they
 * are an external platform (信用中国, the provincial platform); the public entries, the publication feed
 * (positions assigned after commit) and the platforms' acknowledgements. The entries already on display
 * are filled in, each with its `published` change in the feed.
 */
export class RegistryPublication1767600000000 implements MigrationInterface {
  name = 'RegistryPublication1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_types ADD COLUMN publish_minor boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE registry.departments ADD COLUMN external_platform boolean NOT NULL DEFAULT false`,
    );
    await q.query(`CREATE TABLE registry.public_entries (
      entry_id uuid PRIMARY KEY,
      revision int NOT NULL,
      list_type text NOT NULL,
      owner_dept text NOT NULL,
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      subject_name text NOT NULL,
      subject_legacy_ids text[] NOT NULL DEFAULT '{}',
      masked boolean NOT NULL,
      period_to timestamptz,
      published_at timestamptz NOT NULL,
      record jsonb NOT NULL)`);
    await q.query(
      `CREATE INDEX public_entries_recent ON registry.public_entries (published_at DESC, entry_id DESC)`,
    );
    await q.query(
      `CREATE INDEX public_entries_list_type ON registry.public_entries (list_type, published_at DESC, entry_id DESC)`,
    );
    await q.query(`CREATE INDEX public_entries_subject ON registry.public_entries (subject_id)`);
    await q.query(
      `CREATE INDEX public_entries_legacy_ids ON registry.public_entries USING gin (subject_legacy_ids)`,
    );
    await q.query(`CREATE TABLE registry.publication_events (
      id bigserial PRIMARY KEY,
      position bigint UNIQUE,
      event_id uuid NOT NULL UNIQUE,
      entry_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('published', 'withdrawn')),
      reason text,
      data jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      sequenced_at timestamptz)`);
    await q.query(
      `CREATE INDEX publication_events_unsequenced ON registry.publication_events (id) WHERE position IS NULL`,
    );
    await q.query(
      `CREATE INDEX publication_events_withdrawals ON registry.publication_events (position) WHERE kind = 'withdrawn'`,
    );
    await q.query(`CREATE TABLE registry.publication_acks (
      dept text PRIMARY KEY,
      position bigint NOT NULL,
      acked_at timestamptz NOT NULL,
      acked_by text NOT NULL)`);
    await this.fillIn(q);
  }

  /** Entries already on display (class A, not minor) when this runs. */
  private async fillIn(q: QueryRunner): Promise<void> {
    const rows: {
      id: string;
      list_type: string;
      list_type_name: string;
      colour: 'red' | 'black';
      severity: 'general' | 'serious';
      owner_dept: string;
      owner_name: string | null;
      subject_kind: 'legal_person';
      subject_id: string;
      subject_name: string;
      subject_legacy_ids: string[];
      decision_document_no: string;
      decision_date: string;
      period_from: Date | null;
      period_to: Date | null;
      published_at: Date | null;
    }[] = await q.query(
      `SELECT e.id, e.list_type, t.name AS list_type_name, t.colour, t.severity, e.owner_dept,
              d.name AS owner_name, e.subject_kind, e.subject_id, e.subject_name, e.subject_legacy_ids,
              e.decision_document_no, to_char(e.decision_date, 'YYYY-MM-DD') AS decision_date,
              e.period_from, e.period_to, e.published_at
       FROM registry.list_entries e
       JOIN registry.list_types t ON t.code = e.list_type
       LEFT JOIN registry.departments d ON d.code = e.owner_dept
       WHERE e.status = 'published' AND t.info_class = 'A' AND t.severity <> 'minor'
       ORDER BY e.published_at, e.id`,
    );
    const now = new Date();
    for (let i = 0; i < rows.length; i += 1000) {
      const records = rows.slice(i, i + 1000).map((r) => ({
        row: r,
        record: publishedRecord(
          {
            entryId: r.id,
            listType: { code: r.list_type, name: r.list_type_name, colour: r.colour, severity: r.severity },
            ownerDept: { code: r.owner_dept, name: r.owner_name ?? r.owner_dept },
            subject: { kind: r.subject_kind, id: r.subject_id, name: r.subject_name },
            decision: { documentNo: r.decision_document_no, date: r.decision_date },
            period: { from: r.period_from ?? r.published_at ?? now, to: r.period_to },
            publishedAt: r.published_at ?? now,
          },
          1,
        ),
      }));
      await q.query(
        `INSERT INTO registry.public_entries
           (entry_id, revision, list_type, owner_dept, subject_kind, subject_id, subject_name,
            subject_legacy_ids, masked, period_to, published_at, record)
         SELECT x.entry_id, 1, x.list_type, x.owner_dept, x.subject_kind, x.subject_id, x.subject_name,
                x.legacy_ids, x.masked, x.period_to, x.published_at, x.record
         FROM jsonb_to_recordset($1::jsonb) AS x(entry_id uuid, list_type text, owner_dept text,
           subject_kind text, subject_id text, subject_name text, legacy_ids text[], masked boolean,
           period_to timestamptz, published_at timestamptz, record jsonb)`,
        [
          JSON.stringify(
            records.map(({ row, record }) => ({
              entry_id: row.id,
              list_type: row.list_type,
              owner_dept: row.owner_dept,
              subject_kind: row.subject_kind,
              subject_id: row.subject_id,
              subject_name: row.subject_name,
              legacy_ids: row.subject_legacy_ids,
              masked: record.subject.masked,
              period_to: row.period_to,
              published_at: record.publishedAt,
              record,
            })),
          ),
        ],
      );
      await q.query(
        `INSERT INTO registry.publication_events (event_id, entry_id, kind, data, occurred_at)
         SELECT x.event_id, x.entry_id, 'published', x.data, x.occurred_at
         FROM jsonb_to_recordset($1::jsonb) AS x(event_id uuid, entry_id uuid, data jsonb, occurred_at timestamptz)`,
        [
          JSON.stringify(
            records.map(({ record }) => ({
              event_id: randomUUID(),
              entry_id: record.entryId,
              data: record,
              occurred_at: record.publishedAt,
            })),
          ),
        ],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE registry.publication_acks`);
    await q.query(`DROP TABLE registry.publication_events`);
    await q.query(`DROP TABLE registry.public_entries`);
    await q.query(`ALTER TABLE registry.departments DROP COLUMN external_platform`);
    await q.query(`ALTER TABLE registry.list_types DROP COLUMN publish_minor`);
  }
}
