import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV5Down, messagingTablesV5Up } from '@credit/messaging';

/** Outbox rows the bus can never take are parked, not retried for ever (decision 0018). */
export class TrackingOutboxParked1765500000000 implements MigrationInterface {
  name = 'TrackingOutboxParked1765500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV5Up('tracking')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV5Down('tracking')) await q.query(sql);
  }
}
