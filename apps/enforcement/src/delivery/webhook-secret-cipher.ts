import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/**
 * The departments' webhook signing secrets are stored encrypted (AES-256-GCM) with a key from the
 * environment (WEBHOOK_SECRET_KEY, base64 of 32 bytes): a copy of the database alone does not let anyone
 * sign webhooks as the platform. Stored as `v2:<key id>:<iv>:<tag>:<ciphertext>` (base64url), the key id
 * being the first 8 hex digits of the key's SHA-256: a rotation (decision 0051) tells which key made a
 * row. Rows of before (`v1:<iv>:<tag>:<ciphertext>`, no key id) are read with each configured key in turn.
 */
export const WEBHOOK_SECRET_KEY_BYTES = 32;

/** Development and test only (refused elsewhere by the config): a key anyone can read in this file. */
export const DEV_WEBHOOK_SECRET_KEY = createHash('sha256')
  .update('credit-platform local webhook key')
  .digest();

const DEV_ENVIRONMENTS = ['development', 'test'];

function decodeKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(value)) return undefined;
  const key = Buffer.from(value, 'base64');
  return key.length === WEBHOOK_SECRET_KEY_BYTES ? key : undefined;
}

/** WEBHOOK_SECRET_KEY: base64 of 32 bytes; required unless NODE_ENV is development or test. */
@ValidatorConstraint({ name: 'webhookSecretKey' })
export class WebhookSecretKeyRule implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (value === undefined || value === null) {
      return DEV_ENVIRONMENTS.includes(String((args.object as { NODE_ENV?: string }).NODE_ENV));
    }
    return typeof value === 'string' && decodeKey(value) !== undefined;
  }

  defaultMessage(): string {
    return 'must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`); required unless NODE_ENV is development or test';
  }
}

/** WEBHOOK_SECRET_KEY_PREVIOUS: keys rotated out, still read (never written): base64 keys, comma-separated. */
@ValidatorConstraint({ name: 'webhookSecretKeysPrevious' })
export class WebhookSecretKeysPreviousRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (value === undefined || value === null || value === '') return true;
    return typeof value === 'string' && splitKeys(value).every((k) => decodeKey(k) !== undefined);
  }

  defaultMessage(): string {
    return 'must be base64 keys of 32 bytes, separated by commas (the keys WEBHOOK_SECRET_KEY had before)';
  }
}

const splitKeys = (value: string) =>
  value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);

/** The previous keys of a validated config (none when unset). */
export function previousWebhookSecretKeysOf(value: string | undefined): Buffer[] {
  return splitKeys(value ?? '').map((k) => {
    const key = decodeKey(k);
    if (!key) throw new Error('WEBHOOK_SECRET_KEY_PREVIOUS: must be base64 keys of 32 bytes');
    return key;
  });
}

/** The key of a validated config: the given one, or the development key where NODE_ENV allows it. */
export function webhookSecretKeyOf(value: string | undefined, nodeEnv: string | undefined): Buffer {
  if (value) {
    const key = decodeKey(value);
    if (key) return key;
  } else if (nodeEnv !== undefined && DEV_ENVIRONMENTS.includes(nodeEnv)) {
    return DEV_WEBHOOK_SECRET_KEY;
  }
  throw new Error('WEBHOOK_SECRET_KEY: must be the base64 of 32 bytes');
}

const LEGACY_PREFIX = 'v1';
const PREFIX = 'v2';

/** A key's public name in the stored value: the first 8 hex digits of its SHA-256. */
export function webhookKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function open(key: Buffer, iv: string, tag: string, data: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * Encrypts with the current key (WEBHOOK_SECRET_KEY) and reads with it or any previous one
 * (WEBHOOK_SECRET_KEY_PREVIOUS), so that a new key can be deployed before the rows are re-encrypted
 * (`npm run webhook-secrets:reencrypt`, WebhookSecretReencryption).
 */
export class WebhookSecretCipher {
  private readonly keys = new Map<string, Buffer>();
  /** the current key's id: a stored value with another is re-encrypted by the rotation */
  readonly keyId: string;

  constructor(
    private readonly key: Buffer,
    previous: readonly Buffer[] = [],
  ) {
    for (const k of [key, ...previous])
      if (k.length !== WEBHOOK_SECRET_KEY_BYTES) throw new Error('the webhook secret key must be 32 bytes');
    this.keyId = webhookKeyId(key);
    for (const k of [key, ...previous])
      if (!this.keys.has(webhookKeyId(k))) this.keys.set(webhookKeyId(k), k);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [PREFIX, this.keyId, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** Throws when the value was made with none of the configured keys (or was altered). */
  decrypt(stored: string): string {
    const parts = stored.split(':');
    if (parts[0] === PREFIX && parts.length === 5) {
      const [, keyId, iv, tag, data] = parts;
      const key = this.keys.get(keyId);
      if (!key)
        throw new Error(
          `webhook secret encrypted with key ${keyId}, which is neither WEBHOOK_SECRET_KEY nor in WEBHOOK_SECRET_KEY_PREVIOUS`,
        );
      return open(key, iv, tag, data);
    }
    if (parts[0] === LEGACY_PREFIX && parts.length === 4) {
      const [, iv, tag, data] = parts;
      let failure: unknown;
      // no key id: the GCM tag tells the key that made it (the current key first)
      for (const key of this.keys.values()) {
        try {
          return open(key, iv, tag, data);
        } catch (err) {
          failure = err;
        }
      }
      throw failure instanceof Error ? failure : new Error('not an encrypted webhook secret');
    }
    throw new Error('not an encrypted webhook secret');
  }

  /** Whether a stored value is not (yet) under the current key. */
  isStale(stored: string): boolean {
    return !stored.startsWith(`${PREFIX}:${this.keyId}:`);
  }

  /** The SQL LIKE pattern of values under the current key. */
  currentPattern(): string {
    return `${PREFIX}:${this.keyId}:%`;
  }
}
