import { Client } from 'pg';
import { startPlatform } from '../support/services';
import { describePublicationStory, PUBLIC_CACHE_TTL_MS, PUBLIC_QUOTA_PER_CLIENT } from './publication-story';

let databaseUrl = '';

describePublicationStory(
  'over PostgreSQL, Redis and Kafka (four services)',
  async () => {
    const platform = await startPlatform({
      env: { QUOTA_PUBLIC_PER_CLIENT: String(PUBLIC_QUOTA_PER_CLIENT), TRUST_PROXY: 'loopback' },
      publication: { cacheTtlMs: PUBLIC_CACHE_TTL_MS, feedSequenceIntervalMs: 200 },
    });
    databaseUrl = platform.databaseUrl;
    return { url: platform.url.registry, token: platform.token, close: platform.close };
  },
  () =>
    it('went through the outbox to Kafka: one event per change of the feed, keyed by the entry id', async () => {
      const pg = new Client({ connectionString: databaseUrl });
      await pg.connect();
      try {
        const { rows } = await pg.query<{ event_type: string; key: string; n: number }>(
          `SELECT event_type, key, count(*)::int AS n FROM (SELECT event_type, key FROM registry.message_outbox
           UNION ALL SELECT event_type, key FROM registry.message_published) o
         WHERE event_type LIKE 'credit.publication.%' GROUP BY event_type, key`,
        );
        const { rows: feed } = await pg.query<{ event_type: string; entry_id: string; n: number }>(
          `SELECT CASE kind WHEN 'published' THEN 'credit.publication.published.v1'
                  ELSE 'credit.publication.withdrawn.v1' END AS event_type, entry_id::text, count(*)::int AS n
           FROM registry.publication_events GROUP BY 1, 2`,
        );
        // one event per change of the feed, keyed by its entry
        expect(rows.map((r) => `${r.event_type} ${r.key} ${r.n}`).sort()).toEqual(
          feed.map((f) => `${f.event_type} ${f.entry_id} ${f.n}`).sort(),
        );
      } finally {
        await pg.end();
      }
    }),
);
