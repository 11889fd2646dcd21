import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2Down, messagingTablesV2Up } from '@credit/messaging';

/** Outbox payloads kept as written (json, not jsonb): serialised once, never re-parsed or re-printed. */
export class TriggerOutboxV21764500000000 implements MigrationInterface {
  name = 'TriggerOutboxV21764500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2Up('trigger')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2Down('trigger')) await q.query(sql);
  }
}
