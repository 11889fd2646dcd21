import { createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, JWTPayload, SignJWT } from 'jose';
import { Role } from '@credit/contracts';
import { validateIdNumber, validateUscc } from '@credit/identifiers';
import { DepartmentDirectory, DepartmentRefusal, DEPARTMENT_CODE } from './department-directory';
import { isRole, Principal } from './principal';
import { AuthErrors } from './auth.errors';

export interface AuthOptions {
  /** HS256 shared secret (local runs and tests). */
  jwtSecret?: string;
  /** JWKS of the identity provider (production, RS256/ES256). Takes precedence over the secret. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The longest lifetime a token may have (exp − iat, or exp − now without iat); default 12 h. */
  maxTokenAgeSeconds?: number;
  /** AUTH_BOOTSTRAP_DEPT: see DepartmentDirectory. */
  bootstrapDept?: string;
  /** AUTH_DEPARTMENT_ROLES, parsed: see parseDepartmentRoles. */
  departmentRoles?: ReadonlyMap<string, ReadonlySet<Role>>;
  /** How often each service reloads the registered departments (milliseconds). */
  departmentsRefreshMs?: number;
}

export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;
/** How far a token's `iat` may lie ahead of this clock (the identity provider's clock may be ahead). */
export const CLOCK_SKEW_SECONDS = 60;

/** The stable codes of a refused token (the 401's `code`). */
export type TokenRefusalCode =
  | typeof AuthErrors.TOKEN_INVALID.code
  | typeof AuthErrors.UNKNOWN_DEPARTMENT.code
  | typeof AuthErrors.ROLE_NOT_ALLOWED.code;

export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly code: TokenRefusalCode = AuthErrors.TOKEN_INVALID.code,
  ) {
    super(message);
  }
}

/** What `sub` may hold: the identity provider's user or system ids (no spaces, no control characters). */
const SUB = /^[A-Za-z0-9][A-Za-z0-9._@:|+=/-]{0,127}$/;
/** 行政区划代码 (GB/T 2260): six digits. */
const REGION = /^\d{6}$/;

const VERIFIED_CACHE_SIZE = 10_000;
const VERIFIED_CACHE_MS = 60_000;

/** Verifies bearer tokens and turns their claims into a Principal. */
export class TokenVerifier {
  private readonly key: KeyObject | ReturnType<typeof createRemoteJWKSet>;
  private readonly algorithms: string[];
  private readonly maxTokenAge: number;

  constructor(
    private readonly options: AuthOptions,
    /** The registered departments: a token's `dept` must be one, allowed its roles. */
    readonly departments: DepartmentDirectory = new DepartmentDirectory({
      bootstrapDept: options.bootstrapDept,
      roleLimits: options.departmentRoles,
      refreshMs: options.departmentsRefreshMs,
    }),
  ) {
    this.maxTokenAge = options.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
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
        requiredClaims: ['exp'],
      };
      ({ payload } =
        this.key instanceof KeyObject
          ? await jwtVerify(token, this.key, verifyOptions)
          : await jwtVerify(token, this.key, verifyOptions));
    } catch (err) {
      throw new InvalidTokenError((err as Error).message);
    }
    this.checkLifetime(payload);
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
      // the subject's own identifier, as stored: a unified code or an ID number (15 digits upgraded)
      const id = SUB.test(sub) ? subjectIdentifier(sub) : undefined;
      if (!id) {
        throw new InvalidTokenError(
          'the sub claim of a subject token must be a unified code or an ID number',
        );
      }
      return { principal: { sub: id.value, dept: '', roles }, exp: payload.exp };
    }
    if (roles.includes('subject')) throw new InvalidTokenError('the subject role cannot be combined');
    if (!SUB.test(sub)) {
      throw new InvalidTokenError('the sub claim must be 1–128 of A–Z, a–z, 0–9 and . _ @ : | + = / -');
    }
    if (typeof dept !== 'string' || dept === '') throw new InvalidTokenError('token has no dept claim');
    if (!DEPARTMENT_CODE.test(dept)) {
      throw new InvalidTokenError('the dept claim must be 2–32 of A–Z, 0–9, _ or -');
    }
    if (region !== undefined && (typeof region !== 'string' || !REGION.test(region))) {
      throw new InvalidTokenError('the region claim must be a 6-digit administrative division code');
    }
    const refusal = this.departments.refusal(dept, roles);
    if (refusal) throw refusalError(dept, refusal);
    const principal: Principal = { sub, dept, roles };
    if (region) principal.region = region;
    return { principal, exp: payload.exp };
  }

  /** `exp` bounded (a stolen long-lived token is worth little), `iat` not in the future. */
  private checkLifetime(payload: JWTPayload): void {
    const now = Math.floor(Date.now() / 1000);
    const { exp, iat } = payload;
    if (typeof exp !== 'number') throw new InvalidTokenError('the exp claim must be a number');
    if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) {
      throw new InvalidTokenError('the iat claim lies in the future');
    }
    if (exp - (iat ?? now) > this.maxTokenAge) {
      throw new InvalidTokenError(
        `the token lives longer than ${this.maxTokenAge} s (exp − iat, AUTH_MAX_TOKEN_AGE)`,
      );
    }
  }
}

/** The normalized unified code or ID number `sub` is, or undefined. */
function subjectIdentifier(sub: string): { value: string } | undefined {
  // as the registry's default policy: a code whose embedded organization code does not check is flagged, not refused
  const uscc = validateUscc(sub, { orgCodeCheck: 'flag' });
  if (uscc.ok) return uscc;
  const id = validateIdNumber(sub);
  return id.ok ? id : undefined;
}

function refusalError(dept: string, refusal: DepartmentRefusal): InvalidTokenError {
  if (refusal.reason === 'unknown') {
    return new InvalidTokenError(`department ${dept} is not registered`, AuthErrors.UNKNOWN_DEPARTMENT.code);
  }
  return new InvalidTokenError(
    refusal.why === 'not_supervising'
      ? `department ${dept} does not supervise: it may not hold the ${refusal.role} role`
      : `department ${dept} may not hold the ${refusal.role} role (AUTH_DEPARTMENT_ROLES)`,
    AuthErrors.ROLE_NOT_ALLOWED.code,
  );
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
  // the clock read once: jose reads it anew for `iat` and for a relative `exp`, and a second that ticks
  // between the two makes exp − iat one more than the lifetime, which AUTH_MAX_TOKEN_AGE then refuses
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds(options.expiresIn ?? '12h'));
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** A token's lifetime as `npm run token -- --expires` takes it: '600', '600s', '30m', '12h' or '7d'. */
export function lifetimeSeconds(value: string): number {
  const match = /^([1-9]\d*)([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a lifetime: seconds, or a number with s, m, h or d`);
  return (
    Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd']
  );
}
