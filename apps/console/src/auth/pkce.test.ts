import { authorizeUrl, base64Url, challengeOf, createVerifier, tokenRequestBody } from './pkce';
import { claimsOf } from './session';

const CONFIG = {
  authorizationEndpoint: 'https://idp.example.gov.cn/oauth2/authorize',
  tokenEndpoint: 'https://idp.example.gov.cn/oauth2/token',
  clientId: 'credit-console',
  redirectUri: 'https://credit.example.gov.cn/sign-in/callback',
  audience: 'credit-api',
};

describe('PKCE (RFC 7636)', () => {
  it('derives the S256 challenge of the RFC 7636 appendix B example', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of unreserved characters, 43 to 128 long', () => {
    const v = createVerifier();
    expect(v).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
    expect(createVerifier(43)).toHaveLength(43);
    expect(() => createVerifier(42)).toThrow(RangeError);
    expect(() => createVerifier(129)).toThrow(RangeError);
    expect(createVerifier()).not.toBe(v);
  });

  it('encodes base64url without padding', () => {
    expect(base64Url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(base64Url(new Uint8Array([1]))).toBe('AQ');
  });

  it('asks for a code with the challenge, S256, state and audience', () => {
    const url = new URL(authorizeUrl(CONFIG, 'CHALLENGE', 'STATE'));
    expect(url.origin + url.pathname).toBe(CONFIG.authorizationEndpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'credit-console',
      redirect_uri: CONFIG.redirectUri,
      scope: 'openid',
      code_challenge: 'CHALLENGE',
      code_challenge_method: 'S256',
      state: 'STATE',
      audience: 'credit-api',
    });
  });

  it('trades the code with the verifier', () => {
    expect(Object.fromEntries(tokenRequestBody(CONFIG, 'CODE', 'VERIFIER'))).toEqual({
      grant_type: 'authorization_code',
      code: 'CODE',
      redirect_uri: CONFIG.redirectUri,
      client_id: 'credit-console',
      code_verifier: 'VERIFIER',
    });
  });

  it('reads the claims of a token, Chinese included', () => {
    const payload = btoa(
      String.fromCharCode(
        ...new TextEncoder().encode(
          JSON.stringify({ sub: '张三', dept: 'COURT', roles: ['initiator'], exp: 2 }),
        ),
      ),
    );
    expect(claimsOf(`x.${payload.replace(/=+$/, '')}.y`)).toEqual({
      sub: '张三',
      dept: 'COURT',
      roles: ['initiator'],
      exp: 2,
    });
    expect(claimsOf('garbage')).toBeUndefined();
  });
});
