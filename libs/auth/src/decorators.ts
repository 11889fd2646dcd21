import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@credit/contracts';
import { Principal } from './principal';

export const ROLES_KEY = 'credit:roles';
export const PUBLIC_KEY = 'credit:public';

/** The roles allowed on a route; a route with neither @Roles nor @Public is closed to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Health, metrics and docs: no token needed. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The verified caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});
