import { MigrationInterface, QueryRunner } from 'typeorm';

/** Trigger's copy of the admins' allow-list of webhook hosts (decision 0022), fed by `credit.webhook-hosts`. */
export class TriggerWebhookHosts1766200000000 implements MigrationInterface {
  name = 'TriggerWebhookHosts1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE trigger.webhook_host_allow_list (
      host text PRIMARY KEY,
      allowed_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trigger.webhook_host_allow_list`);
  }
}
