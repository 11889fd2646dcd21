import { MediumPlatform } from '../../../../test/support/medium';
import {
  company,
  DECISION,
  entry,
  Problem,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';

type Acknowledged = { dept: string; position: number };

/**
 * The feed's acknowledgement (AcknowledgeFeedUseCase): an external platform acknowledges a position up to
 * the end of the feed, and its next pull without a cursor starts there; no other department may.
 */
describe('publication feed: acknowledgements', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  let mirror: string;
  seededRegistry(async (started, seeded) => {
    [platform, tokens] = [started, seeded];
    const res = await platform.api('POST', '/v1/departments', {
      token: tokens.admin,
      body: { code: 'MED_MIRROR', name: '信用中国（测试）', region: '330100', externalPlatform: true },
    });
    expect(res.status).toBe(201);
    mirror = await platform.token('MED_MIRROR', ['system']);
  });

  const ack = (position: number, token = mirror) =>
    platform.api<Acknowledged & Problem>('POST', '/v1/publication-feed/ack', { token, body: { position } });

  it('acknowledges up to the end of the feed, and a pull starts after it', async () => {
    const pulled = await platform.api<{ items: unknown[]; nextCursor: string }>(
      'GET',
      '/v1/publication-feed',
      {
        token: mirror,
      },
    );
    expect(pulled.status).toBe(200);
    const [{ head }] = await platform.sql<{ head: number }>(
      'SELECT coalesce(max(position), 0)::int AS head FROM registry.publication_events',
    );
    const beyond = await ack(head + 1);
    expect([beyond.status, beyond.body.code]).toEqual([422, 'PUBLICATION.ACK_BEYOND_FEED']);
    const acknowledged = await ack(head);
    expect([acknowledged.status, acknowledged.body]).toEqual([
      200,
      expect.objectContaining({ dept: 'MED_MIRROR', position: head }),
    ]);
    const after = await platform.api<{ items: unknown[] }>('GET', '/v1/publication-feed', { token: mirror });
    expect(after.body.items).toEqual([]);
  });

  it('pulls what committed a moment ago, from its cursor, page by page (PullPublicationFeedUseCase)', async () => {
    const pull = (cursor?: string, limit?: number) =>
      platform.api<{ items: { entryId: string; type: string }[]; nextCursor: string; caughtUp: boolean }>(
        'GET',
        `/v1/publication-feed?${new URLSearchParams({
          ...(cursor ? { cursor } : {}),
          ...(limit ? { limit: String(limit) } : {}),
        })}`,
        { token: mirror },
      );
    const start = (await pull()).body;
    expect(start.caughtUp).toBe(true);
    const ids: string[] = [];
    for (const org of ['MFEED001', 'MFEED002']) {
      const body = { listType: 'COURT_DEFAULTER', subject: company(uscc(org)), decision: DECISION };
      ids.push(await entry(platform, tokens.court, body, ['notice', 'publish']));
    }
    // the pull right after the publishes has them, whether or not a periodic pass ran in between
    const first = (await pull(start.nextCursor, 1)).body;
    expect(first.items.map((i) => i.entryId)).toEqual([ids[0]]);
    expect(first.caughtUp).toBe(false);
    const second = (await pull(first.nextCursor)).body;
    expect(second.items.map((i) => i.entryId)).toEqual([ids[1]]);
    expect(second.caughtUp).toBe(true);
    expect((await pull(second.nextCursor)).body.items).toEqual([]);
  });

  it('refuses a department that is no external platform', async () => {
    const other = await platform.token('TAX', ['system']);
    const refused = await ack(0, other);
    expect([refused.status, refused.body.code]).toEqual([403, 'PUBLICATION.NOT_AN_EXTERNAL_PLATFORM']);
  });
});
