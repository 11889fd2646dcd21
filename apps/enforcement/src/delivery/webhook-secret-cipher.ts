import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/**
 * The departments' webhook signing secrets are stored encrypted (AES-256-GCM) with a key from the
 * environment (WEBHOOK_SECRET_KEY, base64 of 32 bytes): a copy of the database alone does not let anyone
 * sign webhooks as the platform. Stored as `v1:<iv>:<tag>:<ciphertext>` (base64url): `v1` names the key
 * scheme, so a later key rotation can tell old rows from new.
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

const PREFIX = 'v1';

export class WebhookSecretCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== WEBHOOK_SECRET_KEY_BYTES) throw new Error('the webhook secret key must be 32 bytes');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [PREFIX, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** Throws when the value was not made with this key (or was altered). */
  decrypt(stored: string): string {
    const [prefix, iv, tag, data] = stored.split(':');
    if (prefix !== PREFIX || !iv || !tag || data === undefined)
      throw new Error('not an encrypted webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
