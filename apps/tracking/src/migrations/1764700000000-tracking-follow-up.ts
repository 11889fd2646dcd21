import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines and follow-up (the assignments' read model), incremental statistics, departments' regions. */
export class TrackingFollowUp1764700000000 implements MigrationInterface {
  name = 'TrackingFollowUp1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.follow_up_assignments (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      dept text NOT NULL,
      issued boolean NOT NULL DEFAULT false,
      subject_id text,
      list_type text,
      measure_code text,
      measure_version int,
      memorandum_code text,
      target_id text,
      target_kind text,
      target_role text,
      issued_at timestamptz,
      ack_deadline timestamptz,
      ack_escalation_at timestamptz,
      feedback_deadline timestamptz,
      feedback_escalation_at timestamptz,
      acknowledged_at timestamptz,
      enforced_at timestamptz,
      not_applicable_at timestamptz,
      lifted_at timestamptz,
      lift_confirmed_at timestamptz,
      suspended boolean NOT NULL DEFAULT false,
      ack_overdue_level smallint NOT NULL DEFAULT 0 CHECK (ack_overdue_level BETWEEN 0 AND 2),
      ack_overdue_since timestamptz,
      feedback_overdue_level smallint NOT NULL DEFAULT 0 CHECK (feedback_overdue_level BETWEEN 0 AND 2),
      feedback_overdue_since timestamptz,
      status text NOT NULL DEFAULT 'issued',
      overdue boolean NOT NULL DEFAULT false,
      overdue_kind text,
      overdue_level smallint,
      overdue_deadline timestamptz,
      overdue_since timestamptz,
      cleared_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX follow_up_overdue ON tracking.follow_up_assignments (overdue_since, id) WHERE overdue`,
    );
    await q.query(`CREATE INDEX follow_up_entry ON tracking.follow_up_assignments (entry_id)`);
    // what the overdue job scans: issued, still followed, a deadline not met yet
    await q.query(`CREATE INDEX follow_up_open ON tracking.follow_up_assignments (ack_deadline, feedback_deadline)
      WHERE issued AND lifted_at IS NULL AND lift_confirmed_at IS NULL AND not_applicable_at IS NULL
        AND (acknowledged_at IS NULL OR enforced_at IS NULL)`);
    await q.query(`CREATE TABLE tracking.stats_daily (
      dept text NOT NULL,
      list_type text NOT NULL,
      memorandum_code text NOT NULL,
      day date NOT NULL,
      assigned int NOT NULL DEFAULT 0 CHECK (assigned >= 0),
      acknowledged int NOT NULL DEFAULT 0 CHECK (acknowledged >= 0),
      acknowledged_on_time int NOT NULL DEFAULT 0 CHECK (acknowledged_on_time >= 0),
      enforced int NOT NULL DEFAULT 0 CHECK (enforced >= 0),
      not_applicable int NOT NULL DEFAULT 0 CHECK (not_applicable >= 0),
      lifts_confirmed int NOT NULL DEFAULT 0 CHECK (lifts_confirmed >= 0),
      overdue int NOT NULL DEFAULT 0 CHECK (overdue >= 0),
      acted int NOT NULL DEFAULT 0 CHECK (acted >= 0),
      PRIMARY KEY (dept, list_type, memorandum_code, day)
    )`);
    await q.query(`CREATE INDEX stats_daily_day ON tracking.stats_daily (day)`);
    // fed once departments' regions reach tracking (see stats/README.md); empty until then
    await q.query(`CREATE TABLE tracking.department_regions (
      dept text PRIMARY KEY,
      region text NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tracking.department_regions');
    await q.query('DROP TABLE tracking.stats_daily');
    await q.query('DROP TABLE tracking.follow_up_assignments');
  }
}
