import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV3Down, messagingTablesV3Up } from '@credit/messaging';

/** Published outbox rows are deleted, with a narrow line in `message_published` (decision 0013). */
export class TriggerOutboxPublishedLog1765300000000 implements MigrationInterface {
  name = 'TriggerOutboxPublishedLog1765300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV3Up('trigger')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV3Down('trigger')) await q.query(sql);
  }
}
