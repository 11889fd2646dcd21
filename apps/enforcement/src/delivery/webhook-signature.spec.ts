import { createHmac } from 'node:crypto';
import { newWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"credit.assignment.issued.v1"}';

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>", prefixed sha256=', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies what it signs, and nothing altered or stale', () => {
    const now = 1700000000_000;
    const sig = signWebhook(secret, 1700000000, body);
    expect(verifyWebhook(secret, '1700000000', body, sig, 300, now)).toBe(true);
    expect(verifyWebhook(secret, '1700000000', `${body} `, sig, 300, now)).toBe(false);
    expect(verifyWebhook('other', '1700000000', body, sig, 300, now)).toBe(false);
    expect(verifyWebhook(secret, '1700000001', body, sig, 300, now)).toBe(false);
    expect(verifyWebhook(secret, '1700000000', body, sig, 300, now + 301_000)).toBe(false);
    expect(verifyWebhook(secret, 'x', body, sig, 300, now)).toBe(false);
  });

  it('makes a different secret each time', () => {
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
    expect(newWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });
});
