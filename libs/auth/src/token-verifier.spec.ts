import { SignJWT } from 'jose';
import { Role } from '@credit/contracts';
import { DepartmentDirectory } from './department-directory';
import { InvalidTokenError, lifetimeSeconds, mintToken, TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-0123456789abcdef';
const key = new TextEncoder().encode(SECRET);

/** A token with exactly the given claims, for the cases mintToken would never produce. */
function signClaims(claims: Record<string, unknown>, options: { sub?: string; exp?: number } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.sub !== undefined) jwt = jwt.setSubject(options.sub);
  jwt = jwt.setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600);
  return jwt.sign(key);
}

async function rejection(promise: Promise<unknown>): Promise<InvalidTokenError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof InvalidTokenError) return err;
    throw err;
  }
  throw new Error('expected the token to be refused');
}

/** SAMR registered and supervising. */
function samrKnown(): DepartmentDirectory {
  const departments = new DepartmentDirectory();
  departments.learn('SAMR', true);
  return departments;
}

describe('TokenVerifier', () => {
  const verifier = new TokenVerifier({ jwtSecret: SECRET }, samrKnown());

  it('turns a valid token into the principal it was minted for', async () => {
    const token = await mintToken({ sub: 'alice', dept: 'SAMR', roles: ['initiator', 'supervisor'] }, SECRET);

    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'alice',
      dept: 'SAMR',
      roles: ['initiator', 'supervisor'],
    });
  });

  it('mints a token that lives exactly its lifetime while the clock ticks between reads', async () => {
    // every read of the clock a second later than the one before: a token whose iat and exp came from
    // two reads lived one second too long, and AUTH_MAX_TOKEN_AGE refused it (a CI run met that tick)
    const RealDate = Date;
    let t = RealDate.now();
    class TickingDate extends RealDate {
      constructor(...args: ConstructorParameters<DateConstructor> | []) {
        if (args.length === 0) super((t += 1000));
        else super(...(args as ConstructorParameters<DateConstructor>));
      }
      static override now(): number {
        return (t += 1000);
      }
    }
    let token: string;
    global.Date = TickingDate as DateConstructor;
    try {
      token = await mintToken({ sub: 'alice', dept: 'SAMR', roles: ['admin'] }, SECRET, { expiresIn: '10m' });
    } finally {
      global.Date = RealDate;
    }
    const strict = new TokenVerifier({ jwtSecret: SECRET, maxTokenAgeSeconds: 600 }, samrKnown());
    await expect(strict.verify(token)).resolves.toMatchObject({ sub: 'alice' });
  });

  it.each([
    ['600', 600],
    ['600s', 600],
    ['30m', 1800],
    ['12h', 43_200],
    ['7d', 604_800],
  ])('reads the lifetime %s as %i seconds', (value, seconds) => {
    expect(lifetimeSeconds(value)).toBe(seconds);
  });

  it.each(['', '0', '12 hours', '-5m', '1.5h'])('refuses the lifetime %j', (value) => {
    expect(() => lifetimeSeconds(value)).toThrow(/not a lifetime/);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await mintToken(
      { sub: 'alice', dept: 'SAMR', roles: ['admin'] },
      'another-secret-0123456789',
    );

    expect((await rejection(verifier.verify(token))).message).toMatch(/signature/i);
  });

  it('refuses an expired token', async () => {
    const token = await signClaims(
      { dept: 'SAMR', roles: ['admin'] },
      { sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 },
    );

    expect((await rejection(verifier.verify(token))).message).toMatch(/exp/i);
  });

  it('refuses a token without a department', async () => {
    const token = await signClaims({ roles: ['admin'] }, { sub: 'alice' });

    expect((await rejection(verifier.verify(token))).message).toBe('token has no dept claim');
  });

  it('refuses a token without a subject', async () => {
    const token = await signClaims({ dept: 'SAMR', roles: ['admin'] });

    expect((await rejection(verifier.verify(token))).message).toBe('token has no sub claim');
  });

  it.each([
    ['an unknown role', ['root']],
    ['roles that are not a list', 'admin'],
    ['no roles at all', undefined],
  ])('refuses a token with %s', async (_name, roles) => {
    const token = await mintToken({ sub: 'alice', dept: 'SAMR', roles: roles as Role[] }, SECRET);

    expect((await rejection(verifier.verify(token))).message).toMatch(/roles/);
  });

  it('refuses what is not a JWT at all', async () => {
    await rejection(verifier.verify('not-a-token'));
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new TokenVerifier(
      { jwtSecret: SECRET, issuer: 'https://idp.example', audience: 'credit' },
      samrKnown(),
    );
    const principal = { sub: 'alice', dept: 'SAMR', roles: ['admin'] as Role[] };

    await expect(
      strict.verify(
        await mintToken(principal, SECRET, { issuer: 'https://idp.example', audience: 'credit' }),
      ),
    ).resolves.toEqual(principal);
    await rejection(
      strict.verify(
        await mintToken(principal, SECRET, { issuer: 'https://other.example', audience: 'credit' }),
      ),
    );
    await rejection(strict.verify(await mintToken(principal, SECRET)));
  });

  it('needs a secret or a JWKS address', () => {
    expect(() => new TokenVerifier({})).toThrow(/AUTH_JWKS_URL or AUTH_JWT_SECRET/);
  });
});

describe('TokenVerifier memory of verified tokens', () => {
  it('answers a token it verified again without re-verifying, but not past its expiry', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const secret = 'a-secret-long-enough-for-hs256';
      const verifier = new TokenVerifier({ jwtSecret: secret, bootstrapDept: 'FINANCE' });
      const token = await mintToken({ sub: 's', dept: 'FINANCE', roles: ['system'] }, secret, {
        expiresIn: '30s',
      });
      expect(verifier.known(token)).toBeUndefined();
      await expect(verifier.verify(token)).resolves.toMatchObject({ dept: 'FINANCE' });
      expect(verifier.known(token)).toMatchObject({ dept: 'FINANCE' });
      await expect(verifier.verify(token)).resolves.toMatchObject({ dept: 'FINANCE' });
      jest.setSystemTime(new Date('2026-11-23T00:00:31Z'));
      expect(verifier.known(token)).toBeUndefined();
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    } finally {
      jest.useRealTimers();
    }
  });
});
