import { KeyObject } from 'node:crypto';
import { developmentSigningKey, ed25519PrivateKey } from './exchange-signature';

/** Who we are to partner regions, and the key our outbound documents are signed with (decision 0035). */
export interface ExchangeOptions {
  /** our administrative region code (行政区划代码) */
  region: string;
  platform: string;
  keyId: string;
  /** none where NODE_ENV is production and no key is configured: nothing is signed, the pull answers 503 */
  privateKey: KeyObject | undefined;
  /** false: the development key (never where NODE_ENV is production) */
  configuredKey: boolean;
}

export const EXCHANGE_OPTIONS = Symbol('EXCHANGE_OPTIONS');

export interface ExchangeSettings {
  region?: string;
  platform?: string;
  keyId?: string;
  /** PKCS#8 PEM of an Ed25519 key; `\n` may be written as the two characters backslash-n */
  signingKeyPem?: string;
  /** where NODE_ENV is production the development key is never used */
  production?: boolean;
}

export function exchangeOptions(given: ExchangeSettings = {}): ExchangeOptions {
  const pem = given.signingKeyPem?.trim().replace(/\\n/g, '\n');
  if (pem) {
    const privateKey = ed25519PrivateKey(pem);
    if (!privateKey) throw new Error('EXCHANGE_SIGNING_KEY is not an Ed25519 private key in PKCS#8 PEM');
    return {
      region: given.region ?? '330100',
      platform: given.platform ?? '信用杭州',
      keyId: given.keyId ?? 'credit-exchange-1',
      privateKey,
      configuredKey: true,
    };
  }
  return {
    region: given.region ?? '330100',
    platform: given.platform ?? '信用杭州',
    keyId: given.keyId ?? 'development',
    // in production, without a configured key we sign nothing rather than with a key anyone can derive
    privateKey: given.production ? undefined : developmentSigningKey(),
    configuredKey: false,
  };
}
