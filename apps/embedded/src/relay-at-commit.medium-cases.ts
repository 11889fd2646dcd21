import { REGISTRY_MESSAGING } from '../../registry/src/registry.tokens';
import { ServiceMessaging } from '@credit/messaging';
import { waitFor } from '../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../test/support/medium';
import { company, DECISION, entry, seedRegistry, Tokens, uscc } from '../../../test/support/medium-registry';

/**
 * Decision 0087 in the embedded layout: a route's transaction that wrote to the outbox wakes the relay
 * when PGlite commits it, so the event leaves at once; the relay's own look every second is a backstop.
 * The wake is counted before the route answers (the commit's subscriber runs inside the request), which a
 * relay that only polled would never do. test/messaging/outbox-relay.integration-cases.ts shows that a
 * woken relay publishes.
 */
describe('the embedded outbox: a route wakes the relay when its transaction commits', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  let wakes: jest.SpyInstance;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    tokens = await seedRegistry(platform);
    const messaging = platform.app.get<ServiceMessaging>(REGISTRY_MESSAGING);
    wakes = jest.spyOn(messaging.relay, 'wake');
  });

  afterAll(async () => {
    wakes?.mockRestore();
    await platform?.close();
  });

  const pending = async () =>
    Number((await platform.sql<{ n: string }>('SELECT count(*) AS n FROM registry.message_outbox'))[0].n);

  it('is woken by a publish before the answer, not by a refused one, and the outbox empties', async () => {
    const id = await entry(
      platform,
      tokens.court,
      { listType: 'COURT_DEFAULTER', subject: company(uscc('MRC0MMT1')), decision: DECISION },
      ['notice'],
    );
    await waitFor(async () => (await pending()) === 0, { message: 'the outbox drained' });

    const before = wakes.mock.calls.length;
    const published = await platform.api<{ status: string }>('POST', `/v1/list-entries/${id}/publish`, {
      token: tokens.court,
    });
    expect(published.body.status).toBe('published');
    expect(wakes.mock.calls.length).toBeGreaterThan(before);
    await waitFor(async () => (await pending()) === 0, { message: 'the published event left the outbox' });

    // a refused transition writes nothing, commits nothing to the outbox, and wakes nobody
    const after = wakes.mock.calls.length;
    const refused = await platform.api('POST', `/v1/list-entries/${id}/publish`, { token: tokens.court });
    expect(refused.status).toBe(409);
    expect(wakes.mock.calls.length).toBe(after);
  });
});
