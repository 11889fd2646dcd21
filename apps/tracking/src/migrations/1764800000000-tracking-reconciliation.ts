import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reconciliation (对账): what tracking knows of each entry and each check hit, and the gaps found. */
export class TrackingReconciliation1764800000000 implements MigrationInterface {
  name = 'TrackingReconciliation1764800000000';

  async up(q: QueryRunner): Promise<void> {
    // facts only (earliest times, sums of fan-outs): the same whatever order the topics are read in
    await q.query(`CREATE TABLE tracking.entries (
      entry_id uuid PRIMARY KEY,
      owner_dept text,
      list_type text,
      published_at timestamptz,
      ended_at timestamptz,
      end_reason text,
      fan_outs int NOT NULL DEFAULT 0,
      declared int NOT NULL DEFAULT 0,
      issued int NOT NULL DEFAULT 0,
      fanned_out_at timestamptz
    )`);
    await q.query(`CREATE INDEX entries_fan_out_open ON tracking.entries (published_at)
      WHERE published_at IS NOT NULL AND (fan_outs = 0 OR issued < declared)`);
    await q.query(`CREATE INDEX entries_ended ON tracking.entries (ended_at) WHERE ended_at IS NOT NULL`);
    await q.query(`CREATE TABLE tracking.check_hits (
      check_id uuid NOT NULL,
      entry_id uuid NOT NULL,
      dept text,
      action text,
      decision text,
      own boolean NOT NULL DEFAULT false,
      hit_at timestamptz,
      decided_at timestamptz,
      outcome text,
      PRIMARY KEY (check_id, entry_id)
    )`);
    await q.query(`CREATE INDEX check_hits_undecided ON tracking.check_hits (hit_at)
      WHERE own AND decided_at IS NULL AND decision <> 'allow'`);
    await q.query(`CREATE INDEX check_hits_dept ON tracking.check_hits (dept, hit_at)`);
    // assignments still binding (what an ended entry must have lifted, what a lift must have confirmed)
    await q.query(`CREATE INDEX follow_up_binding ON tracking.follow_up_assignments (entry_id)
      WHERE issued AND lifted_at IS NULL AND lift_confirmed_at IS NULL AND not_applicable_at IS NULL`);
    await q.query(`CREATE INDEX follow_up_lift_unconfirmed ON tracking.follow_up_assignments (lifted_at)
      WHERE lifted_at IS NOT NULL AND lift_confirmed_at IS NULL AND not_applicable_at IS NULL`);
    await q.query(`CREATE TABLE tracking.reconciliation_gaps (
      kind text NOT NULL,
      ref text NOT NULL,
      entry_id uuid NOT NULL,
      dept text,
      assignment_id uuid,
      check_id uuid,
      since timestamptz NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}',
      detected_at timestamptz NOT NULL,
      cleared_at timestamptz,
      PRIMARY KEY (kind, ref)
    )`);
    await q.query(`CREATE INDEX reconciliation_open ON tracking.reconciliation_gaps (since, kind, ref)
      WHERE cleared_at IS NULL`);
    await q.query(`CREATE INDEX reconciliation_entry ON tracking.reconciliation_gaps (entry_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tracking.reconciliation_gaps');
    await q.query('DROP INDEX tracking.follow_up_lift_unconfirmed');
    await q.query('DROP INDEX tracking.follow_up_binding');
    await q.query('DROP TABLE tracking.check_hits');
    await q.query('DROP TABLE tracking.entries');
  }
}
