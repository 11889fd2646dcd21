import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ServiceMessaging } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../../apps/registry/src/registry.tokens';
import { AnonymiseEndedEntriesJob } from '../../apps/registry/src/retention/anonymise-ended-entries.job';
import { retentionOptions } from '../../apps/registry/src/retention/retention.options';
import { mintToken } from '@credit/auth';
import { startPlatform, TEST_JWT_SECRET, TestPlatform } from '../support/services';
import { describeExchangeStory } from './exchange-story';

/** 区域联合奖惩 over the four services, PostgreSQL, Redis and Kafka. */
describe('exchange with other regions (distributed)', () => {
  let platform: TestPlatform;
  let pg: Client;

  describeExchangeStory('over the real infrastructure', async () => {
    platform = await startPlatform();
    pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    return {
      url: platform.url,
      token: (dept, roles) => platform.token(dept, roles),
      regionSupervisor: (region) =>
        mintToken(
          { sub: `sup-${region}`, dept: 'CREDIT_OFFICE', roles: ['supervisor'], region },
          TEST_JWT_SECRET,
        ),
      stored: async () => {
        const counts: Record<string, number> = {};
        for (const table of [
          'list_entries',
          'subjects',
          'exchange_inbound',
          'exchange_origins',
          'exchange_outbound',
          'public_entries',
          'publication_events',
        ]) {
          const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry.${table}`);
          counts[table] = rows[0].n;
        }
        const { rows } = await pg.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM registry.message_outbox) + (SELECT count(*) FROM registry.message_published) AS n`,
        );
        counts.outbox = Number(rows[0].n);
        return counts;
      },
      close: async () => undefined,
    };
  });

  it('retention: an anonymised entry leaves no subject in the documents exchanged, received or sent (decision 0021)', async () => {
    const registry = platform.app.registry;
    const job = new AnonymiseEndedEntriesJob(
      registry.get<DataSource>(REGISTRY_DB),
      registry.get<ServiceMessaging>(REGISTRY_MESSAGING),
      retentionOptions({ days: { A: 1 / 1440 }, intervalMs: 0 }),
      registry.get<Logger>(ROOT_LOGGER),
    );
    // the story ended two entries: the one its origin withdrew, and ours that was repaired
    expect(await job.anonymiseDue(new Date(Date.now() + 600_000))).toBeGreaterThanOrEqual(2);
    const { rows } = await pg.query<{ source: string; subject: { id: string; name?: string } }>(
      `SELECT 'inbound' AS source, i.document->'subject' AS subject FROM registry.exchange_inbound i
         JOIN registry.list_entries e ON e.id = i.entry_id WHERE e.status = 'ended'
       UNION ALL
       SELECT 'outbound', o.document->'subject' FROM registry.exchange_outbound o
         JOIN registry.list_entries e ON e.id = o.entry_id WHERE e.status = 'ended'`,
    );
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['inbound', 'outbound']));
    for (const row of rows) {
      expect(row.subject.id).toBe('*');
      if (row.subject.name !== undefined) expect(row.subject.name).toBe('*');
    }
  });

  afterAll(async () => {
    await pg?.end();
    await platform?.close();
  });
});
