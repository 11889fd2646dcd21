import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An open-ended entry on public display showed the 9999-12-31 that events carry; the public record now
 * shows it as the entry view does (`to: null, openEnded: true`, decision 0033). The rows already on
 * display get that record; the feed's past changes stay as they were sent.
 */
export class RegistryOpenEndedPublicPeriod1768030000001 implements MigrationInterface {
  name = 'RegistryOpenEndedPublicPeriod1768030000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE registry.public_entries p
      SET period_to = NULL,
          record = jsonb_set(p.record, '{period}',
            jsonb_build_object('from', p.record->'period'->'from', 'to', NULL, 'openEnded', true))
      FROM registry.list_entries e
      WHERE e.id = p.entry_id AND e.open_ended`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE registry.public_entries p
      SET period_to = e.period_to,
          record = jsonb_set(p.record, '{period}',
            jsonb_build_object('from', p.record->'period'->'from', 'to', to_jsonb(e.period_to)))
      FROM registry.list_entries e
      WHERE e.id = p.entry_id AND e.open_ended`);
  }
}
