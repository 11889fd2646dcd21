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
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match)
    throw new UnauthorizedException({ code: 'AUTH.TOKEN_MISSING', detail: 'a bearer token is required' });
  let principal: Principal;
  try {
    principal = await verifier.verify(match[1]);
  } catch (err) {
    if (err instanceof InvalidTokenError) {
      throw new UnauthorizedException({
        code: 'AUTH.TOKEN_INVALID',
        detail: `the bearer token is not valid: ${err.message}`,
      });
    }
    throw err;
  }
  if (!principal.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenException({
      code: 'AUTH.ROLE_FORBIDDEN',
      detail: `this route needs one of the roles [${allowed.join(', ')}]; the token has [${principal.roles.join(', ')}]`,
    });
  }
  return principal;
}
