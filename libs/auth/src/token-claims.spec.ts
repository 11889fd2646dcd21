import { SignJWT } from 'jose';
import { Role } from '@credit/contracts';
import { DepartmentDirectory, parseDepartmentRoles } from './department-directory';
import { InvalidTokenError, mintToken, TokenVerifier } from './token-verifier';

/** Decision 0019: what a token's claims must be (API.md "Tokens"). */
const SECRET = 'unit-test-secret-0123456789abcdef';
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims (and `exp`/`iat` only when given). */
function sign(claims: Record<string, unknown>, times: { iat?: number; exp?: number } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt = jwt.setExpirationTime(times.exp);
  return jwt.sign(key);
}

const staff = (extra: Record<string, unknown> = {}) => ({
  sub: 'alice',
  dept: 'SAMR',
  roles: ['initiator'],
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<InvalidTokenError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof InvalidTokenError) return err;
    throw err;
  }
  throw new Error('expected the token to be refused');
}

function directory(options: ConstructorParameters<typeof DepartmentDirectory>[0] = {}) {
  const departments = new DepartmentDirectory(options);
  departments.learn('SAMR', false);
  departments.learn('NDRC', true);
  return departments;
}

describe('token lifetime', () => {
  const verifier = new TokenVerifier({ jwtSecret: SECRET }, directory());

  it('requires exp', async () => {
    const err = await refusal(verifier.verify(await sign(staff(), { iat: now() })));
    expect(err.message).toMatch(/"exp" claim/);
    expect(err.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('accepts a lifetime of 12 hours, refuses one longer (exp − iat)', async () => {
    await expect(
      verifier.verify(await sign(staff(), { iat: now(), exp: now() + 12 * 3600 })),
    ).resolves.toEqual({
      sub: 'alice',
      dept: 'SAMR',
      roles: ['initiator'],
    });
    const err = await refusal(
      verifier.verify(await sign(staff(), { iat: now() - 3600, exp: now() + 12 * 3600 })),
    );
    expect(err.message).toMatch(/lives longer than 43200 s/);
  });

  it('measures from now when there is no iat', async () => {
    await expect(verifier.verify(await sign(staff(), { exp: now() + 3600 }))).resolves.toBeDefined();
    await refusal(verifier.verify(await sign(staff(), { exp: now() + 13 * 3600 })));
  });

  it('follows AUTH_MAX_TOKEN_AGE', async () => {
    const short = new TokenVerifier({ jwtSecret: SECRET, maxTokenAgeSeconds: 600 }, directory());
    await expect(short.verify(await sign(staff(), { iat: now(), exp: now() + 600 }))).resolves.toBeDefined();
    await refusal(short.verify(await sign(staff(), { iat: now(), exp: now() + 601 })));
  });

  it('refuses an iat in the future beyond a minute of clock skew', async () => {
    await expect(
      verifier.verify(await sign(staff(), { iat: now() + 30, exp: now() + 600 })),
    ).resolves.toBeDefined();
    const err = await refusal(verifier.verify(await sign(staff(), { iat: now() + 120, exp: now() + 600 })));
    expect(err.message).toBe('the iat claim lies in the future');
  });
});

describe('odd characters in claims', () => {
  const verifier = new TokenVerifier({ jwtSecret: SECRET }, directory());
  const times = () => ({ iat: now(), exp: now() + 600 });

  it.each([
    ['a space in sub', { sub: 'alice smith' }, /sub claim/],
    ['a control character in sub', { sub: 'alice\u0000' }, /sub claim/],
    ['a line feed in sub', { sub: 'alice\nadmin' }, /sub claim/],
    ['a sub of 129 characters', { sub: 'a'.repeat(129) }, /sub claim/],
    ['a lower-case dept', { dept: 'samr' }, /dept claim/],
    ['a control character in dept', { dept: 'SAMR\u001b' }, /dept claim/],
    ['a dept of 33 characters', { dept: 'S'.repeat(33) }, /dept claim/],
    ['a five-digit region', { region: '33010' }, /region claim/],
    ['a region with a line feed', { region: '330100\n' }, /region claim/],
    ['a region that is a number', { region: 330100 }, /region claim/],
    ['a region of letters', { region: 'ZJ-HZ1' }, /region claim/],
  ])('refuses %s', async (_name, claims, message) => {
    const err = await refusal(verifier.verify(await sign(staff(claims), times())));
    expect(err.code).toBe('AUTH.TOKEN_INVALID');
    expect(err.message).toMatch(message);
  });

  it('accepts ordinary ids and a 6-digit region', async () => {
    await expect(
      verifier.verify(await sign(staff({ sub: 'auth0|5f7c.a-b_c@idp:x', region: '330100' }), times())),
    ).resolves.toEqual({
      sub: 'auth0|5f7c.a-b_c@idp:x',
      dept: 'SAMR',
      roles: ['initiator'],
      region: '330100',
    });
  });

  it('takes a subject token only for a unified code or an ID number, stored form', async () => {
    const subject = (sub: string) => sign({ sub, roles: ['subject'] }, times());
    await expect(verifier.verify(await subject('91330106MA2H7QK4XQ'))).resolves.toEqual({
      sub: '91330106MA2H7QK4XQ',
      dept: '',
      roles: ['subject'],
    });
    // an ID number's check character x as the identity provider may write it
    await expect(verifier.verify(await subject('11010519491231002x'))).resolves.toMatchObject({
      sub: '11010519491231002X',
    });
    for (const sub of ['alice', '91330106MA2H7QK4X0', '110105194912310021', '9133 0106MA2H7QK4XQ']) {
      const err = await refusal(verifier.verify(await subject(sub)));
      expect(err.message).toMatch(/unified code or an ID number/);
    }
  });
});

describe('registered departments and the roles they may hold', () => {
  const times = () => ({ iat: now(), exp: now() + 600 });

  it('refuses an unknown department with its own code, and accepts it once registered', async () => {
    const departments = directory();
    const verifier = new TokenVerifier({ jwtSecret: SECRET }, departments);
    const token = await sign(staff({ dept: 'HOUSING' }), times());
    const err = await refusal(verifier.verify(token));
    expect(err).toMatchObject({
      code: 'AUTH.UNKNOWN_DEPARTMENT',
      message: 'department HOUSING is not registered',
    });
    // a refused token is not remembered: the same token works once the department is known
    departments.learn('HOUSING', false);
    await expect(verifier.verify(token)).resolves.toMatchObject({ dept: 'HOUSING' });
  });

  it.each(['supervisor', 'credit_office'] as Role[])(
    'lets only a supervising department hold %s',
    async (role) => {
      const verifier = new TokenVerifier({ jwtSecret: SECRET }, directory());
      const err = await refusal(verifier.verify(await sign(staff({ roles: [role] }), times())));
      expect(err).toMatchObject({
        code: 'AUTH.ROLE_NOT_ALLOWED',
        message: `department SAMR does not supervise: it may not hold the ${role} role`,
      });
      await expect(
        verifier.verify(await sign(staff({ dept: 'NDRC', roles: [role, 'admin'] }), times())),
      ).resolves.toMatchObject({ dept: 'NDRC' });
    },
  );

  it('knows the bootstrap department from the start: it supervises and holds every role', async () => {
    const departments = new DepartmentDirectory({
      bootstrapDept: 'CREDIT_OFFICE',
      roleLimits: parseDepartmentRoles('CREDIT_OFFICE=implementer'),
    });
    departments.learn('CREDIT_OFFICE', false); // a registration cannot take supervising away
    const verifier = new TokenVerifier({ jwtSecret: SECRET }, departments);
    const roles: Role[] = ['admin', 'initiator', 'implementer', 'supervisor', 'system', 'credit_office'];
    await expect(
      verifier.verify(await sign(staff({ dept: 'CREDIT_OFFICE', roles }), times())),
    ).resolves.toMatchObject({ dept: 'CREDIT_OFFICE', roles });
    expect(new DepartmentDirectory().has('CREDIT_OFFICE')).toBe(true); // the default
  });

  it('applies AUTH_DEPARTMENT_ROLES on top of the supervising rule', async () => {
    const departments = directory({ roleLimits: parseDepartmentRoles('SAMR=implementer,system') });
    const verifier = new TokenVerifier({ jwtSecret: SECRET }, departments);
    await expect(
      verifier.verify(await sign(staff({ roles: ['system', 'implementer'] }), times())),
    ).resolves.toBeDefined();
    const err = await refusal(verifier.verify(await sign(staff({ roles: ['system', 'admin'] }), times())));
    expect(err).toMatchObject({
      code: 'AUTH.ROLE_NOT_ALLOWED',
      message: 'department SAMR may not hold the admin role (AUTH_DEPARTMENT_ROLES)',
    });
  });

  it('mints tokens the rules accept (npm run token, tests)', async () => {
    const verifier = new TokenVerifier({ jwtSecret: SECRET }, directory());
    await expect(
      verifier.verify(
        await mintToken({ sub: 'x', dept: 'NDRC', roles: ['supervisor'], region: '330100' }, SECRET),
      ),
    ).resolves.toMatchObject({ region: '330100' });
  });
});

describe('parseDepartmentRoles', () => {
  it('reads DEPT=role,role;DEPT=role', () => {
    const limits = parseDepartmentRoles(' FINANCE = implementer, system ;COURT=initiator; ');
    expect(Object.fromEntries([...limits].map(([d, r]) => [d, [...r]]))).toEqual({
      FINANCE: ['implementer', 'system'],
      COURT: ['initiator'],
    });
    expect(parseDepartmentRoles('').size).toBe(0);
  });

  it.each(['FINANCE', 'finance=system', 'FINANCE=root', 'A=system=x'])('refuses %j', (value) => {
    expect(() => parseDepartmentRoles(value)).toThrow();
  });
});
