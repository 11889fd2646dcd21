import { randomBytes } from 'node:crypto';
import { loadConfig } from '@credit/platform';
import { EnforcementConfig, enforcementSettingsOf } from '../config';
import { createCipheriv } from 'node:crypto';
import { DEV_WEBHOOK_SECRET_KEY, WebhookSecretCipher, webhookKeyId } from './webhook-secret-cipher';

describe('webhook secrets at rest', () => {
  const cipher = new WebhookSecretCipher(randomBytes(32));

  it('encrypts with AES-256-GCM: never the plaintext, a fresh IV each time, and back', () => {
    const secret = 'whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const a = cipher.encrypt(secret);
    const b = cipher.encrypt(secret);
    expect(a).toMatch(new RegExp(`^v2:${cipher.keyId}:`));
    expect(a).not.toContain(secret.slice(6));
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a)).toBe(secret);
  });

  it('refuses a value altered or made with another key', () => {
    const stored = cipher.encrypt('whsec_x');
    const [v, kid, iv, tag, data] = stored.split(':');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([v, kid, iv, tag, flipped.toString('base64url')].join(':'))).toThrow();
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

  it('reads its own `v1` values of before the key id (no key id: each configured key in turn)', () => {
    const old = randomBytes(32);
    const legacy = legacyEncrypt(old, 'whsec_legacy');
    expect(new WebhookSecretCipher(old).decrypt(legacy)).toBe('whsec_legacy');
    expect(new WebhookSecretCipher(randomBytes(32), [old]).decrypt(legacy)).toBe('whsec_legacy');
    expect(() => new WebhookSecretCipher(randomBytes(32)).decrypt(legacy)).toThrow();
  });

  it('after a rotation: writes with the new key, reads the old rows with the previous key', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new WebhookSecretCipher(oldKey);
    const after = new WebhookSecretCipher(newKey, [oldKey]);
    const oldRow = before.encrypt('whsec_old');
    expect(after.keyId).toBe(webhookKeyId(newKey));
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.decrypt(oldRow)).toBe('whsec_old');
    expect(after.isStale(oldRow)).toBe(true);
    const newRow = after.encrypt('whsec_new');
    expect(after.isStale(newRow)).toBe(false);
    expect(newRow.startsWith(`v2:${after.keyId}:`)).toBe(true);
    // the old key alone cannot read the new rows; once the old key is dropped its rows are refused, naming it
    expect(() => before.decrypt(newRow)).toThrow(new RegExp(after.keyId));
    expect(() => new WebhookSecretCipher(newKey).decrypt(oldRow)).toThrow(new RegExp(before.keyId));
  });

  it('takes the previous keys from WEBHOOK_SECRET_KEY_PREVIOUS (comma-separated), refusing a malformed one', () => {
    const [k1, k2, k3] = [randomBytes(32), randomBytes(32), randomBytes(32)].map((k) => k.toString('base64'));
    const of = (env: Record<string, string>) =>
      enforcementSettingsOf(loadConfig(EnforcementConfig, env)).webhooks;
    const webhooks = of({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_KEY: k1,
      WEBHOOK_SECRET_KEY_PREVIOUS: `${k2}, ${k3}`,
    });
    expect(webhooks.previousSecretKeys?.map((k) => k.toString('base64'))).toEqual([k2, k3]);
    expect(of({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: k1 }).previousSecretKeys).toEqual([]);
    expect(() =>
      loadConfig(EnforcementConfig, {
        NODE_ENV: 'production',
        WEBHOOK_SECRET_KEY: k1,
        WEBHOOK_SECRET_KEY_PREVIOUS: `${k2},not-a-key`,
      }),
    ).toThrow(/WEBHOOK_SECRET_KEY_PREVIOUS/);
  });
});

/** A value as the cipher wrote it before key ids (`v1:<iv>:<tag>:<data>`). */
function legacyEncrypt(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}
