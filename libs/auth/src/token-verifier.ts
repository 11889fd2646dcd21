import { createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, JWTPayload, SignJWT } from 'jose';
import { isRole, Principal } from './principal';

export interface AuthOptions {
  /** HS256 shared secret (local runs and tests). */
  jwtSecret?: string;
  /** JWKS of the identity provider (production, RS256/ES256). Takes precedence over the secret. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export class InvalidTokenError extends Error {}

const VERIFIED_CACHE_SIZE = 10_000;
const VERIFIED_CACHE_MS = 60_000;

/** Verifies bearer tokens and turns their claims into a Principal. */
export class TokenVerifier {
  private readonly key: KeyObject | ReturnType<typeof createRemoteJWKSet>;
  private readonly algorithms: string[];

  constructor(private readonly options: AuthOptions) {
    if (options.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(options.jwksUrl));
      this.algorithms = ['RS256', 'ES256', 'PS256'];
    } else if (options.jwtSecret) {
      // a KeyObject made once: jose would otherwise import the raw secret on every request
      this.key = createSecretKey(Buffer.from(options.jwtSecret, 'utf8'));
      this.algorithms = ['HS256'];
    } else {
      throw new Error('auth needs AUTH_JWKS_URL or AUTH_JWT_SECRET');
    }
  }

  /**
   * Department systems send the same token with every check (the hot path): a token verified once is
   * remembered until it expires, at most a minute — so a key withdrawn at the identity provider stops
   * working within a minute here too.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const known = this.known(token, now);
    if (known) return known;
    const { principal, exp } = await this.verifyAnew(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, until: Math.min(exp ? exp * 1000 : now, now + VERIFIED_CACHE_MS) });
    return principal;
  }

  /** The principal of a token verified before and not expired since; undefined if it must be verified. */
  known(token: string, now = Date.now()): Principal | undefined {
    const known = this.verified.get(token);
    return known && known.until > now ? known.principal : undefined;
  }

  private async verifyAnew(token: string): Promise<{ principal: Principal; exp?: number }> {
    let payload: JWTPayload;
    try {
      const verifyOptions = {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
      };
      ({ payload } =
        this.key instanceof KeyObject
          ? await jwtVerify(token, this.key, verifyOptions)
          : await jwtVerify(token, this.key, verifyOptions));
    } catch (err) {
      throw new InvalidTokenError((err as Error).message);
    }
    const { sub, dept, roles, region } = payload as JWTPayload & {
      dept?: unknown;
      roles?: unknown;
      region?: unknown;
    };
    if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('token has no sub claim');
    if (!Array.isArray(roles) || !roles.every(isRole)) {
      throw new InvalidTokenError('token roles claim must be a list of known roles');
    }
    const subjectToken = roles.length === 1 && roles[0] === 'subject';
    if (subjectToken) {
      if (dept !== undefined) throw new InvalidTokenError('a subject token has no dept claim');
      return { principal: { sub, dept: '', roles }, exp: payload.exp };
    }
    if (roles.includes('subject')) throw new InvalidTokenError('the subject role cannot be combined');
    if (typeof dept !== 'string' || dept === '') throw new InvalidTokenError('token has no dept claim');
    if (region !== undefined && typeof region !== 'string') {
      throw new InvalidTokenError('token region claim must be a string');
    }
    const principal: Principal = { sub, dept, roles };
    if (region) principal.region = region;
    return { principal, exp: payload.exp };
  }
}

/** Mints an HS256 token: for local use (npm run token) and tests only. */
export async function mintToken(
  principal: Principal,
  secret: string,
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  const claims: Record<string, unknown> = { roles: principal.roles };
  if (principal.dept) claims.dept = principal.dept;
  if (principal.region) claims.region = principal.region;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
