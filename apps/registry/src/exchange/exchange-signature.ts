import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/*
 * The exchange's signatures (decision 0035): Ed25519 over the UTF-8 bytes of the document's canonical
 * JSON, detached in the envelope with the signer's key id, base64url without padding.
 */

export const EXCHANGE_FORMAT = 'credit-exchange/1';
export const SIGNATURE_ALG = 'Ed25519';

export interface ExchangeSignature {
  alg: typeof SIGNATURE_ALG;
  keyId: string;
  value: string;
}

export interface ExchangeEnvelope<D = Record<string, unknown>> {
  format: typeof EXCHANGE_FORMAT;
  document: D;
  signature: ExchangeSignature;
}

export function signDocument<D extends object>(
  document: D,
  key: { keyId: string; privateKey: KeyObject },
): ExchangeEnvelope<D> {
  const value = sign(null, Buffer.from(canonicalJson(document), 'utf8'), key.privateKey).toString(
    'base64url',
  );
  return { format: EXCHANGE_FORMAT, document, signature: { alg: SIGNATURE_ALG, keyId: key.keyId, value } };
}

/** Whether `signature` (base64url) is the key's Ed25519 signature of the document's canonical JSON. */
export function verifyDocument(document: unknown, signature: string, publicKey: KeyObject): boolean {
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== 64) return false;
  return verify(null, Buffer.from(canonicalJson(document), 'utf8'), publicKey, bytes);
}

/** An Ed25519 public key from its PEM (SPKI); undefined when the text is not one. */
export function ed25519PublicKey(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** An Ed25519 private key from its PEM (PKCS#8); undefined when the text is not one. */
export function ed25519PrivateKey(pem: string): KeyObject | undefined {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The development key: derived from a public phrase, so every development and test installation signs
 * alike. Never used where NODE_ENV is production (the configuration refuses to start without a key).
 */
export function developmentSigningKey(): KeyObject {
  const seed = createHash('sha256').update('credit-exchange development key, not for production').digest();
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
}
