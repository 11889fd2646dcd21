import { Client } from 'pg';
import { startPlatform, TestPlatform } from '../support/services';
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

  afterAll(async () => {
    await pg?.end();
    await platform?.close();
  });
});
