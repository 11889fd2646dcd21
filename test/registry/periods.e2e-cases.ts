import { ExpireListEntriesJob } from '../../apps/registry/src/list-entries/expire-list-entries.job';
import { OPEN_ENDED_UNTIL } from '@credit/contracts';
import { Client } from 'pg';
import { startPlatform, TestPlatform } from '../support/services';
import { describePeriodsAndExits } from './periods-story';

/** The rules of periods and exits over the four services, PostgreSQL, Redis and Kafka. */
describe('periods and exits (distributed)', () => {
  let platform: TestPlatform;

  describePeriodsAndExits('over the real infrastructure', async () => {
    platform = await startPlatform();
    return {
      url: platform.url,
      token: (dept, roles) => platform.token(dept, roles),
      expire: async () => {
        await platform.app.registry.get(ExpireListEntriesJob).expireDue();
      },
      close: async () => undefined,
    };
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('open-ended never expires: not even at the end of time, while every fixed period does', async () => {
    const job = platform.app.registry.get(ExpireListEntriesJob);
    // the last instant there is: an open-ended entry's period_to, which the job never takes for an end
    await job.expireDue(new Date(OPEN_ENDED_UNTIL));
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ open_ended: boolean; status: string }>(
        `SELECT open_ended, status FROM registry.list_entries WHERE status IN ('published', 'ended')`,
      );
      expect(rows.filter((r) => r.status === 'published').every((r) => r.open_ended)).toBe(true);
      expect(rows.filter((r) => r.open_ended).every((r) => r.status === 'published')).toBe(true);
      expect(rows.some((r) => r.open_ended)).toBe(true);
      expect(rows.some((r) => !r.open_ended && r.status === 'ended')).toBe(true);
    } finally {
      await pg.end();
    }
  });
});
