import { generateKeyPairSync } from 'node:crypto';
import {
  developmentSigningKey,
  ed25519PrivateKey,
  ed25519PublicKey,
  publicKeyPem,
  signDocument,
  verifyDocument,
} from './exchange-signature';

describe('exchange signatures (Ed25519 over the canonical JSON, decision 0035)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const document = { kind: 'publication', origin: { region: '330500', entryId: 'HZ-1' }, version: 1 };

  it('verifies a signed document with the signer public key, whatever the order of its members', () => {
    const envelope = signDocument(document, { keyId: 'k1', privateKey });
    expect(envelope.signature).toMatchObject({ alg: 'Ed25519', keyId: 'k1' });
    expect(envelope.signature.value).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const reordered = { version: 1, origin: { entryId: 'HZ-1', region: '330500' }, kind: 'publication' };
    expect(verifyDocument(reordered, envelope.signature.value, publicKey)).toBe(true);
  });

  it('refuses a changed document, another key and a signature that is not 64 bytes', () => {
    const { value } = signDocument(document, { keyId: 'k1', privateKey }).signature;
    expect(verifyDocument({ ...document, version: 2 }, value, publicKey)).toBe(false);
    expect(verifyDocument(document, value, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    expect(verifyDocument(document, value.slice(0, 40), publicKey)).toBe(false);
  });

  it('reads Ed25519 keys from PEM only: another kind of key or text is not one', () => {
    const pem = publicKeyPem(privateKey);
    expect(ed25519PublicKey(pem)?.asymmetricKeyType).toBe('ed25519');
    expect(ed25519PublicKey('not a key')).toBeUndefined();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      ed25519PublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString()),
    ).toBeUndefined();
    expect(
      ed25519PrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())?.asymmetricKeyType,
    ).toBe('ed25519');
  });

  it('has one development key, the same in every process', () => {
    expect(publicKeyPem(developmentSigningKey())).toBe(publicKeyPem(developmentSigningKey()));
  });
});
