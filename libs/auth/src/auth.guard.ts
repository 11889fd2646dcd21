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
    request.principal = await authenticate(this.verifier, request.headers.authorization, allowed);
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
    if (err instanceof InvalidTokenError) {
      throw new UnauthorizedException({
        code: 'AUTH.TOKEN_INVALID',
        detail: `the bearer token is not valid: ${err.message}`,
      });
    }
    throw err;
  }
  return allowedOrForbidden(principal, allowed);
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

function bearerToken(header: string | undefined): string {
  const match = BEARER.exec(header ?? '');
  if (!match)
    throw new UnauthorizedException({ code: 'AUTH.TOKEN_MISSING', detail: 'a bearer token is required' });
  return match[1];
}

function allowedOrForbidden(principal: Principal, allowed: readonly Role[]): Principal {
  if (!principal.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenException({
      code: 'AUTH.ROLE_FORBIDDEN',
      detail: `this route needs one of the roles [${allowed.join(', ')}]; the token has [${principal.roles.join(', ')}]`,
    });
  }
  return principal;
}
