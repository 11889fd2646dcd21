import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@credit/contracts';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { Principal } from './principal';
import { InvalidTokenError, TokenVerifier } from './token-verifier';
import { AuthErrors } from './auth.errors';

/** Global guard: 401 without a valid bearer token, 403 when the token's roles do not fit the route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    // the token was verified before the body was read (the onRequest hook): only the roles are left
    request.principal = request.principal
      ? allowedOrForbidden(request.principal, allowed)
      : await authenticate(this.verifier, request.headers.authorization, allowed);
    return true;
  }
}

/**
 * The caller behind an `authorization` header, allowed one of `allowed` roles: 401 without a valid bearer
 * token, 403 when its roles do not fit. What the guard does, for a route served outside Nest's pipeline.
 */
export async function authenticate(
  verifier: TokenVerifier,
  header: string | undefined,
  allowed: readonly Role[],
): Promise<Principal> {
  const token = bearerToken(header);
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (err) {
    throw unauthorized(err);
  }
  return allowedOrForbidden(principal, allowed);
}

/** A refused token as the 401 every route answers (its code says why); other errors unchanged. */
export function unauthorized(err: unknown): unknown {
  if (!(err instanceof InvalidTokenError)) return err;
  return new UnauthorizedException({
    code: err.code,
    detail: `the bearer token is not valid: ${err.message}`,
  });
}

/**
 * `authenticate`, answered at once (no promise, no turn of the microtask queue) when the token was
 * verified before and has not expired — what a department system's every check sends; otherwise the
 * promise of `authenticate`. Same answers, same errors.
 */
export function authenticateKnown(
  verifier: TokenVerifier,
  header: string | undefined,
  allowed: readonly Role[],
): Principal | Promise<Principal> {
  const known = verifier.known(bearerToken(header));
  return known ? allowedOrForbidden(known, allowed) : authenticate(verifier, header, allowed);
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The token of a `Bearer` authorization header; 401 AUTH.TOKEN_MISSING without one. */
export function bearerToken(header: string | undefined): string {
  const match = BEARER.exec(header ?? '');
  if (!match)
    throw new UnauthorizedException({
      code: AuthErrors.TOKEN_MISSING.code,
      detail: AuthErrors.TOKEN_MISSING.message,
    });
  return match[1];
}

export function allowedOrForbidden(principal: Principal, allowed: readonly Role[]): Principal {
  if (!principal.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenException({
      code: AuthErrors.ROLE_FORBIDDEN.code,
      detail: `this route needs one of the roles [${allowed.join(', ')}]; the token has [${principal.roles.join(', ')}]`,
    });
  }
  return principal;
}
