import { ExecutionContext, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@credit/contracts';
import { authenticate, authenticateKnown, AuthGuard } from './auth.guard';
import { Public, Roles } from './decorators';
import { Principal } from './principal';
import { mintToken, TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-0123456789abcdef';

class ListEntriesController {
  @Public()
  health() {}

  @Roles('initiator', 'admin')
  publish() {}

  /** Neither @Public nor @Roles: closed to everyone. */
  forgotten() {}
}

@Roles('supervisor')
class ReportsController {
  list() {}

  @Roles('admin')
  purge() {}
}

interface FakeRequest {
  headers: Record<string, string | undefined>;
  principal?: Principal;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function contextFor(controller: Function, handler: Function, request: FakeRequest): ExecutionContext {
  return {
    getClass: () => controller,
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const bearer = async (roles: Role[]) => ({
  authorization: `Bearer ${await mintToken({ sub: 'bob', dept: 'PBOC', roles }, SECRET)}`,
});

async function refusal(promise: Promise<unknown>): Promise<HttpException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpException) return err;
    throw err;
  }
  throw new Error('expected the guard to refuse');
}

describe('AuthGuard', () => {
  const guard = new AuthGuard(
    new Reflector(),
    new TokenVerifier({ jwtSecret: SECRET, bootstrapDept: 'PBOC' }),
  );
  const entries = ListEntriesController.prototype;
  const reports = ReportsController.prototype;

  it('lets anyone through a public route, without a token', async () => {
    await expect(
      guard.canActivate(contextFor(ListEntriesController, entries.health, { headers: {} })),
    ).resolves.toBe(true);
  });

  it('admits a token with an allowed role and puts its principal on the request', async () => {
    const request: FakeRequest = { headers: await bearer(['initiator']) };

    await expect(
      guard.canActivate(contextFor(ListEntriesController, entries.publish, request)),
    ).resolves.toBe(true);
    expect(request.principal).toEqual({ sub: 'bob', dept: 'PBOC', roles: ['initiator'] });
  });

  it.each([
    ['no authorization header', {}],
    ['another scheme', { authorization: 'Basic Ym9iOnNlY3JldA==' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers %s with 401 AUTH.TOKEN_MISSING', async (_name, headers) => {
    const err = await refusal(
      guard.canActivate(contextFor(ListEntriesController, entries.publish, { headers })),
    );

    expect(err).toBeInstanceOf(UnauthorizedException);
    expect(err.getStatus()).toBe(401);
    expect(err.getResponse()).toMatchObject({ code: 'AUTH.TOKEN_MISSING' });
  });

  it('answers a token that does not verify with 401 AUTH.TOKEN_INVALID', async () => {
    const forged = await mintToken(
      { sub: 'eve', dept: 'PBOC', roles: ['admin'] },
      'not-the-platform-secret-42',
    );
    const err = await refusal(
      guard.canActivate(
        contextFor(ListEntriesController, entries.publish, {
          headers: { authorization: `Bearer ${forged}` },
        }),
      ),
    );

    expect(err).toBeInstanceOf(UnauthorizedException);
    expect(err.getResponse()).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('answers a role the route does not allow with 403 AUTH.ROLE_FORBIDDEN', async () => {
    const request: FakeRequest = { headers: await bearer(['implementer']) };
    const err = await refusal(guard.canActivate(contextFor(ListEntriesController, entries.publish, request)));

    expect(err).toBeInstanceOf(ForbiddenException);
    expect(err.getStatus()).toBe(403);
    expect(err.getResponse()).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN' });
  });

  it('closes a route without @Roles to everyone, admin included', async () => {
    const everyRole: Role[] = ['admin', 'initiator', 'implementer', 'supervisor', 'system'];
    const err = await refusal(
      guard.canActivate(
        contextFor(ListEntriesController, entries.forgotten, { headers: await bearer(everyRole) }),
      ),
    );

    expect(err.getStatus()).toBe(403);
    expect(err.getResponse()).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN' });
  });

  it('takes the roles of the controller unless the handler names its own', async () => {
    const supervisor = await bearer(['supervisor']);
    const admin = await bearer(['admin']);

    await expect(
      guard.canActivate(contextFor(ReportsController, reports.list, { headers: supervisor })),
    ).resolves.toBe(true);
    await expect(
      guard.canActivate(contextFor(ReportsController, reports.purge, { headers: admin })),
    ).resolves.toBe(true);
    expect(
      (
        await refusal(
          guard.canActivate(contextFor(ReportsController, reports.purge, { headers: supervisor })),
        )
      ).getStatus(),
    ).toBe(403);
  });
});

describe('authenticateKnown', () => {
  const verifier = new TokenVerifier({ jwtSecret: SECRET, bootstrapDept: 'PBOC' });

  it('verifies a token it has not seen (a promise), then answers it at once with the same principal', async () => {
    const { authorization } = await bearer(['system']);
    const first = authenticateKnown(verifier, authorization, ['implementer', 'system']);
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toEqual({ sub: 'bob', dept: 'PBOC', roles: ['system'] });
    expect(authenticateKnown(verifier, authorization, ['implementer', 'system'])).toEqual({
      sub: 'bob',
      dept: 'PBOC',
      roles: ['system'],
    });
  });

  it('refuses as authenticate does: no token 401, a known token without an allowed role 403', async () => {
    expect(() => authenticateKnown(verifier, undefined, ['system'])).toThrow(UnauthorizedException);
    const { authorization } = await bearer(['supervisor']);
    await authenticate(verifier, authorization, ['supervisor']);
    let refused: unknown;
    try {
      authenticateKnown(verifier, authorization, ['implementer', 'system']);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ForbiddenException);
    expect((refused as HttpException).getResponse()).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN' });
    await expect(
      refusal(Promise.resolve().then(() => authenticateKnown(verifier, 'Bearer not-a-jwt', ['system']))),
    ).resolves.toBeInstanceOf(UnauthorizedException);
  });
});
