import { decodeJwt } from 'jose';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { Problem, uscc } from '../../../../test/support/medium-registry';

type Issued = { token: string; role: string; dept?: string; subject?: string };

/**
 * Development sign-in (IssueDevTokenUseCase, decision 0028): a token for a role the department is offered,
 * or for a subject by its unified code or ID number, normalised as the token verifier reads it.
 * (The console signing in with it: test/console/dev-sign-in.e2e-spec.ts.)
 */
describe('development sign-in: the tokens it issues', () => {
  let platform: MediumPlatform;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'], devSignIn: true });
    const admin = await platform.token('CREDIT_OFFICE', ['admin']);
    const res = await platform.api('POST', '/v1/departments', {
      token: admin,
      body: { code: 'DEV_COURT', name: '法院', region: '330100' },
    });
    // a refused set-up says by which check (CI's one 401 here: a token minted across a second's tick)
    if (res.status !== 201)
      throw new Error(`POST /v1/departments: ${res.status} ${JSON.stringify(res.body)}`);
  });
  afterAll(() => platform?.close());

  const issue = (body: Record<string, unknown>) =>
    platform.api<Issued & Problem>('POST', '/dev/v1/token', { body });

  it("issues a department's offered role, and refuses one it is not offered or an unknown department", async () => {
    const issued = await issue({ dept: 'DEV_COURT', role: 'initiator' });
    expect([issued.status, issued.body.dept, issued.body.role]).toEqual([201, 'DEV_COURT', 'initiator']);
    expect((await platform.api('GET', '/v1/departments', { token: issued.body.token })).status).toBe(200);
    const notOffered = await issue({ dept: 'DEV_COURT', role: 'admin' });
    expect([notOffered.status, notOffered.body.code]).toEqual([422, 'DEV.ROLE_NOT_OFFERED']);
    const unknown = await issue({ dept: 'NO_SUCH', role: 'initiator' });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'DEV.UNKNOWN_DEPARTMENT']);
  });

  it('issues a subject token by a normalised identifier, and refuses anything else', async () => {
    const code = uscc('MDEK0001');
    const issued = await issue({ role: 'subject', subject: ` ${code.toLowerCase()} ` });
    expect([issued.status, issued.body.subject]).toEqual([201, code]);
    expect(decodeJwt(issued.body.token).sub).toBe(code);
    // the registry accepts it as the subject's own
    expect((await platform.api('GET', '/v1/me/objections', { token: issued.body.token })).status).toBe(200);
    const invalid = await issue({ role: 'subject', subject: 'not an identifier' });
    expect([invalid.status, invalid.body.code]).toEqual([422, 'DEV.INVALID_SUBJECT']);
  });
});
