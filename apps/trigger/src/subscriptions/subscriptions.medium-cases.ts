import { measureBody } from '../../../../test/support/catalog-seed';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { UnsubscribeFromMeasureUseCase } from './unsubscribe-from-measure.usecase';

type Problem = { code: string; errors?: { field: string }[] };
type SubscriptionView = { dept: string; measureCode: string; channel: string; webhookUrl: string | null };

/**
 * 订阅 (SubscribeToMeasureUseCase, UnsubscribeFromMeasureUseCase) in trigger alone: a department subscribes
 * to a measure in force it implements, once per measure (a second time changes the channel), with a
 * webhook URL the policy admits, and ends its own subscription once. (Deliveries: test/enforcement.)
 */
describe('subscriptions (订阅): to the measures a department implements', () => {
  let platform: MediumPlatform;
  let finance: string;
  let ndrc: string;

  beforeAll(async () => {
    platform = await startMedium({ services: ['trigger'] });
    const admin = await platform.token('CREDIT_OFFICE', ['admin']);
    finance = await platform.token('FINANCE', ['system']);
    ndrc = await platform.token('NDRC', ['implementer']);
    const created = await platform.api('POST', '/v1/memoranda', {
      token: admin,
      body: {
        code: 'MOU-SUB',
        title: 'MOU-SUB',
        documentNo: 'd',
        listTypes: ['COURT_DEFAULTER'],
        measures: [measureBody('SUB-FIN', 'FINANCE')],
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => platform?.close());

  const subscribe = (measure: string, body: unknown, token = finance) =>
    platform.api<SubscriptionView & Problem>('PUT', `/v1/subscriptions/${measure}`, { token, body });

  it('subscribes the implementing department only, to a measure in force, with an admitted URL', async () => {
    const unknown = await subscribe('NO-SUCH', { channel: 'pull' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'MEASURE.NOT_FOUND']);
    const other = await subscribe('SUB-FIN', { channel: 'pull' }, ndrc);
    expect([other.status, other.body.code]).toEqual([403, 'SUBSCRIPTION.NOT_IMPLEMENTER']);
    const loopback = await subscribe('SUB-FIN', { channel: 'webhook', webhookUrl: 'https://127.0.0.1/hook' });
    expect([loopback.body.code, loopback.body.errors?.map((e) => e.field)]).toEqual([
      'WEBHOOK_URL.LOOPBACK',
      ['webhookUrl'],
    ]);

    const pulled = await subscribe('SUB-FIN', { channel: 'pull', webhookUrl: 'https://ignored.example' });
    expect([pulled.status, pulled.body]).toEqual([
      200,
      expect.objectContaining({ dept: 'FINANCE', measureCode: 'SUB-FIN', channel: 'pull', webhookUrl: null }),
    ]);
    const streamed = await subscribe('SUB-FIN', { channel: 'stream' });
    expect(streamed.body.channel).toBe('stream');
    const listed = await platform.api<{ items: SubscriptionView[] }>('GET', '/v1/subscriptions', {
      token: finance,
    });
    expect(listed.body.items.map((s) => [s.measureCode, s.channel])).toEqual([['SUB-FIN', 'stream']]);
  });

  it('ends its own subscription once', async () => {
    await subscribe('SUB-FIN', { channel: 'pull' });
    const unsubscribe = (token: string) =>
      platform.api<Problem>('DELETE', '/v1/subscriptions/SUB-FIN', { token });
    expect((await unsubscribe(ndrc)).body.code).toBe('SUBSCRIPTION.NOT_FOUND');
    expect((await unsubscribe(finance)).status).toBe(204);
    const again = await unsubscribe(finance);
    expect([again.status, again.body.code]).toEqual([404, 'SUBSCRIPTION.NOT_FOUND']);
    const direct = platform
      .get(UnsubscribeFromMeasureUseCase)
      .execute({ sub: 's', dept: 'FINANCE', roles: ['system'] }, 'SUB-FIN');
    await expect(direct).rejects.toMatchObject({ code: 'SUBSCRIPTION.NOT_FOUND' });
  });
});
