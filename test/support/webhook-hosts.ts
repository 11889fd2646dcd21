import { waitFor } from './infra';
import { api, ApiResponse, TestPlatform } from './services';

/**
 * What an admin does before a department registers a webhook on a host the URL policy refuses (a test
 * receiver on loopback, a name only a department's DNS knows): allow-lists it at enforcement.
 */
export async function allowWebhookHost(
  platform: TestPlatform,
  adminToken: string,
  host: string,
): Promise<void> {
  const res = await api('POST', `${platform.url.enforcement}/v1/webhook-host-allow-list`, {
    token: adminToken,
    body: { host, note: 'test' },
  });
  if (res.status !== 201 && res.status !== 409) throw new Error(`allow-list ${host}: ${res.status}`);
}

/** PUTs a webhook subscription until trigger has learnt the allow-listed host (within moments). */
export function subscribeWebhook(
  platform: TestPlatform,
  token: string,
  measureCode: string,
  webhookUrl: string,
): Promise<ApiResponse> {
  return waitFor(
    async () => {
      const res = await api('PUT', `${platform.url.trigger}/v1/subscriptions/${measureCode}`, {
        token,
        body: { channel: 'webhook', webhookUrl },
      });
      return res.status === 200 ? res : undefined;
    },
    { message: `the subscription of ${measureCode} to ${webhookUrl}` },
  );
}
