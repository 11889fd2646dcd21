import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How a department checks that a POST comes from the platform: `X-Credit-Signature: sha256=<hex>`, the
 * HMAC-SHA256 with the department's secret over `<X-Credit-Timestamp>.<raw body>` (unix seconds, a dot,
 * the body bytes exactly as received). Receivers should also refuse timestamps older than a few minutes.
 */
export const SIGNATURE_HEADER = 'x-credit-signature';
export const TIMESTAMP_HEADER = 'x-credit-timestamp';
export const DELIVERY_ID_HEADER = 'x-credit-delivery-id';
export const EVENT_TYPE_HEADER = 'x-credit-event-type';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does; here for tests and for department developers to copy. */
export function verifyWebhook(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A new department secret: 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
