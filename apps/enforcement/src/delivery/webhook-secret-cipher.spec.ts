import { randomBytes } from 'node:crypto';
import { loadConfig } from '@credit/platform';
import { EnforcementConfig, enforcementSettingsOf } from '../config';
import { DEV_WEBHOOK_SECRET_KEY, WebhookSecretCipher } from './webhook-secret-cipher';

describe('webhook secrets at rest', () => {
  const cipher = new WebhookSecretCipher(randomBytes(32));

  it('encrypts with AES-256-GCM: never the plaintext, a fresh IV each time, and back', () => {
    const secret = 'whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const a = cipher.encrypt(secret);
    const b = cipher.encrypt(secret);
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain(secret.slice(6));
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a)).toBe(secret);
  });

  it('refuses a value altered or made with another key', () => {
    const stored = cipher.encrypt('whsec_x');
    const [v, iv, tag, data] = stored.split(':');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64url')].join(':'))).toThrow();
    expect(() => new WebhookSecretCipher(randomBytes(32)).decrypt(stored)).toThrow();
    expect(() => cipher.decrypt('whsec_plaintext')).toThrow();
  });

  it('takes the key from WEBHOOK_SECRET_KEY; the fixed development key only in development and test', () => {
    const key = randomBytes(32).toString('base64');
    const of = (env: Record<string, string>) =>
      enforcementSettingsOf(loadConfig(EnforcementConfig, env)).webhooks;
    expect(of({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: key }).secretKey.toString('base64')).toBe(key);
    expect(of({ NODE_ENV: 'test' }).secretKey).toEqual(DEV_WEBHOOK_SECRET_KEY);
    expect(of({ NODE_ENV: 'development' }).allowPlainHttp).toBe(true);
    expect(of({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: key }).allowPlainHttp).toBe(false);
    expect(() => loadConfig(EnforcementConfig, { NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(() =>
      loadConfig(EnforcementConfig, {
        NODE_ENV: 'test',
        WEBHOOK_SECRET_KEY: randomBytes(16).toString('base64'),
      }),
    ).toThrow(/WEBHOOK_SECRET_KEY/);
  });
});
