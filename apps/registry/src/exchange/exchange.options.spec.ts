import { generateKeyPairSync } from 'node:crypto';
import { publicKeyPem, developmentSigningKey } from './exchange-signature';
import { exchangeOptions } from './exchange.options';

describe('our exchange key (decision 0035)', () => {
  it('signs with the development key where no key is configured outside production', () => {
    const options = exchangeOptions({});
    expect(options).toMatchObject({ region: '330100', keyId: 'development', configuredKey: false });
    expect(publicKeyPem(options.privateKey!)).toBe(publicKeyPem(developmentSigningKey()));
  });

  it('never signs with the development key in production: without a configured key it signs nothing', () => {
    expect(exchangeOptions({ production: true }).privateKey).toBeUndefined();
  });

  it('takes a configured PKCS#8 PEM, with line breaks written as \\n, and refuses anything else', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const options = exchangeOptions({
      signingKeyPem: pem.replace(/\n/g, '\\n'),
      keyId: 'hz-1',
      production: true,
    });
    expect(options).toMatchObject({ keyId: 'hz-1', configuredKey: true });
    expect(publicKeyPem(options.privateKey!)).toBe(publicKeyPem(privateKey));
    expect(() => exchangeOptions({ signingKeyPem: 'not a key' })).toThrow(/EXCHANGE_SIGNING_KEY/);
  });
});
