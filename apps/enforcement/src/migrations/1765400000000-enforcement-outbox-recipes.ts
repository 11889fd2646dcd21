import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV4Down, messagingTablesV4Up } from '@credit/messaging';

/** An outbox row holds one event's payload or a recipe for a run of events (decision 0016). */
export class EnforcementOutboxRecipes1765400000000 implements MigrationInterface {
  name = 'EnforcementOutboxRecipes1765400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV4Up('enforcement')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV4Down('enforcement')) await q.query(sql);
  }
}
