import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { InvalidTokenError, TokenVerifier } from '@credit/auth';

/** Production tokens: RS256, checked against the identity provider's JWKS (served here on loopback). */
describe('TokenVerifier with a JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: KeyLike;
  let otherKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const sign = (key: KeyLike, claims: Record<string, unknown>, issuer = 'https://idp.example.gov.cn') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('procurement-system')
      .setIssuer(issuer)
      .setAudience('credit-platform')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  it('accepts a token signed by the provider and reads dept and roles', async () => {
    const verifier = new TokenVerifier({
      jwksUrl,
      issuer: 'https://idp.example.gov.cn',
      audience: 'credit-platform',
      bootstrapDept: 'FINANCE', // a department known from the start (decision 0019)
    });
    const token = await sign(privateKey, { dept: 'FINANCE', roles: ['system'] });
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'procurement-system',
      dept: 'FINANCE',
      roles: ['system'],
    });
  });

  it('refuses a token signed by another key, from another issuer, or an HS256 token', async () => {
    const verifier = new TokenVerifier({
      jwksUrl,
      issuer: 'https://idp.example.gov.cn',
      audience: 'credit-platform',
    });
    await expect(
      verifier.verify(await sign(otherKey, { dept: 'FINANCE', roles: ['system'] })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(
      verifier.verify(await sign(privateKey, { dept: 'FINANCE', roles: ['system'] }, 'https://evil.example')),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    const hs = await new SignJWT({ dept: 'FINANCE', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('guessable-secret-guessable-secret'));
    await expect(verifier.verify(hs)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
