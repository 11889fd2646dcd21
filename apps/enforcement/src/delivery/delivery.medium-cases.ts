import { randomUUID } from 'node:crypto';
import { waitFor } from '../../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { tokensOf } from '../../../../test/support/medium-principals';
import { AllowWebhookHostUseCase } from './allow-webhook-host.usecase';

type Problem = { code: string; errors?: { field: string }[] };
type Delivery = { id: string; status: string; attempts: number; replays: number };

/**
 * The delivery routes' use cases (ReplayDeliveryUseCase, RotateWebhookSecretUseCase,
 * AllowWebhookHostUseCase, DisallowWebhookHostUseCase): a department replays its own deliveries only,
 * rotates its own secret (an admin any department's), and an admin keeps the webhook-host allow-list,
 * each change heard by trigger (its copy checks registrations). (Deliveries to a live endpoint: test/enforcement/push-delivery.)
 */
describe('delivery: replays, secret rotation and the webhook-host allow-list', () => {
  let platform: MediumPlatform;
  let tokens: Record<'admin' | 'finance' | 'financeSystem' | 'ndrc', string>;

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement', 'trigger'] });
    tokens = await tokensOf(platform, ['admin', 'finance', 'financeSystem', 'ndrc']);
  });
  afterAll(() => platform?.close());

  /** A dead delivery of `dept`, as the dispatcher leaves it after its last attempt. */
  async function deadDelivery(dept: string, payload: unknown = { id: 'e1' }): Promise<string> {
    const id = randomUUID();
    await platform.sql(
      `INSERT INTO enforcement.deliveries (id, dept, assignment_id, subject_key, event_id, event_type, url,
         payload, status, attempts, replays, next_attempt_at, retry_from, created_at)
       VALUES ($1, $2, $3, 'S1', $4, 'credit.assignment.issued.v1', 'https://hooks.example.test/x', $5,
         'dead', 8, 0, now(), now(), now())`,
      [id, dept, randomUUID(), `ev-${id}`, payload === null ? null : JSON.stringify(payload)],
    );
    return id;
  }

  it("replays the department's own delivery with fresh attempts, and no other", async () => {
    const id = await deadDelivery('FINANCE');
    const replay = (token: string, of = id) =>
      platform.api<Delivery & Problem>('POST', `/v1/deliveries/${of}/replay`, { token });
    const other = await replay(tokens.ndrc);
    expect([other.status, other.body.code]).toEqual([403, 'DELIVERY.OTHER_DEPARTMENT']);
    const unknown = await replay(tokens.finance, randomUUID());
    expect([unknown.status, unknown.body.code]).toEqual([404, 'DELIVERY.NOT_FOUND']);
    const replayed = await replay(tokens.financeSystem);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ id, status: 'pending', attempts: 0, replays: 1 });
    const expired = await replay(tokens.finance, await deadDelivery('FINANCE', null));
    expect([expired.status, expired.body.code]).toEqual([410, 'DELIVERY.PAYLOAD_EXPIRED']);
  });

  it("rotates the caller's own secret; only an admin another department's", async () => {
    const rotate = (token: string, dept?: string) =>
      platform.api<{ dept: string; secret: string } & Problem>(
        'POST',
        `/v1/webhook-secret${dept ? `?dept=${dept}` : ''}`,
        { token },
      );
    const own = await rotate(tokens.financeSystem);
    expect([own.status, own.body.dept]).toEqual([201, 'FINANCE']);
    const again = await rotate(tokens.financeSystem, 'FINANCE');
    expect(again.body.secret).not.toBe(own.body.secret);
    const other = await rotate(tokens.financeSystem, 'NDRC');
    expect([other.status, other.body.code]).toEqual([403, 'WEBHOOK_SECRET.OTHER_DEPARTMENT']);
    const byAdmin = await rotate(tokens.admin, 'NDRC');
    expect([byAdmin.status, byAdmin.body.dept]).toEqual([201, 'NDRC']);
    const invalid = await rotate(tokens.admin, 'not a dept');
    expect(invalid.status).toBe(400);
  });

  /** Waits until trigger's copy of the allow-list holds the host (or no longer does). */
  const triggerCopy = (host: string, held: boolean) =>
    waitFor(
      async () => {
        const rows = await platform.sql('SELECT 1 FROM trigger.webhook_host_allow_list WHERE host = $1', [
          host,
        ]);
        return rows.length > 0 === held ? true : undefined;
      },
      { message: `trigger's copy ${held ? 'holding' : 'without'} ${host}` },
    );

  it('adds and removes an allowed host once each, announcing each change', async () => {
    const host = 'hooks.finance.internal';
    const add = (body: unknown) =>
      platform.api<{ host: string; addedBy: string } & Problem>('POST', '/v1/webhook-host-allow-list', {
        token: tokens.admin,
        body,
      });
    const added = await add({ host: 'HOOKS.finance.internal', note: '财政局内网接收端' });
    expect([added.status, added.body.host]).toEqual([201, host]);
    expect((await add({ host, note: 'again' })).body.code).toBe('WEBHOOK_HOST.ALREADY_LISTED');
    const invalid = await add({ host: 'https://x.test/path', note: 'n' });
    expect([invalid.status, invalid.body.code]).toEqual([422, 'WEBHOOK_HOST.INVALID']);
    const listed = await platform.api<{ items: { host: string }[] }>('GET', '/v1/webhook-host-allow-list', {
      token: tokens.admin,
    });
    expect(listed.body.items.map((h) => h.host)).toContain(host);
    await triggerCopy(host, true);

    const remove = () =>
      platform.api<Problem>('DELETE', `/v1/webhook-host-allow-list/${host}`, { token: tokens.admin });
    expect((await remove()).status).toBe(204);
    const gone = await remove();
    expect([gone.status, gone.body.code]).toEqual([404, 'WEBHOOK_HOST.NOT_LISTED']);
    await triggerCopy(host, false);
  });

  it('is a provider one may run without HTTP', async () => {
    const principal = { sub: 'admin-1', dept: 'CREDIT_OFFICE', roles: ['admin'] } as const;
    const added = await platform
      .get(AllowWebhookHostUseCase)
      .execute({ ...principal, roles: [...principal.roles] }, '10.1.2.3', 'test receiver');
    expect(added).toMatchObject({ host: '10.1.2.3', addedBy: 'admin-1' });
  });
});
