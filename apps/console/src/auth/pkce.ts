/**
 * OpenID Connect, authorization code with PKCE (RFC 7636), for production: the console is a public client,
 * so it proves with a one-time verifier that it is the one that asked for the code. Config-driven
 * (/config.json's `oidc`); the identity provider is the one whose JWKS the services trust.
 */
export interface OidcConfig {
  /** the provider's authorization endpoint */
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
  scope?: string;
  audience?: string;
}

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A code verifier: 43–128 unreserved characters from a secure random source (RFC 7636 §4.1). */
export function createVerifier(length = 64, random: (n: number) => Uint8Array = randomBytes): string {
  if (length < 43 || length > 128) throw new RangeError('a code verifier has 43 to 128 characters');
  return Array.from(random(length), (b) => UNRESERVED[b % UNRESERVED.length]).join('');
}

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** S256: BASE64URL(SHA-256(ASCII(verifier))) (RFC 7636 §4.2). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function authorizeUrl(config: OidcConfig, challenge: string, state: string): string {
  const url = new URL(config.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scope ?? 'openid');
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  if (config.audience) url.searchParams.set('audience', config.audience);
  return url.toString();
}

/** The token request's form body for the code the provider sent back. */
export function tokenRequestBody(config: OidcConfig, code: string, verifier: string): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: config.redirectUri,
    client_id: config.clientId,
    code_verifier: verifier,
  });
}

const PENDING = 'credit.console.pkce';

/** Starts the sign-in: keeps verifier and state for the tab, then goes to the provider. */
export async function beginSignIn(config: OidcConfig): Promise<void> {
  const verifier = createVerifier();
  const state = createVerifier(43);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  window.location.assign(authorizeUrl(config, await challengeOf(verifier), state));
}

/** Completes it on the redirect: checks the state, trades the code for tokens (the access token is used). */
export async function completeSignIn(config: OidcConfig, search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  if (params.get('error'))
    throw new Error(`${params.get('error')}: ${params.get('error_description') ?? ''}`);
  if (!pending || params.get('state') !== pending.state)
    throw new Error('登录状态不符（state mismatch），请重新登录');
  const code = params.get('code');
  if (!code) throw new Error('身份提供方未返回授权码');
  const response = await fetch(config.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(config, code, pending.verifier),
  });
  if (!response.ok) throw new Error(`令牌交换失败：HTTP ${response.status}`);
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error('令牌交换失败：无 access_token');
  return body.access_token;
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
