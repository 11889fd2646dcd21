import { MediumPlatform } from '../../../../test/support/medium';
import { Problem, seededRegistry, Tokens } from '../../../../test/support/medium-registry';
import { RegisterDepartmentUseCase } from './register-department.usecase';

/**
 * 部门 (RegisterDepartmentUseCase): an admin registers a department once; its tokens are accepted by this
 * process at once, and its code cannot be registered twice.
 */
describe('departments: registration', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const register = (body: Record<string, unknown>, token = tokens.admin) =>
    platform.api<Problem & { code: string; supervising: boolean }>('POST', '/v1/departments', {
      token,
      body,
    });

  it('registers a department once, by an admin only', async () => {
    const body = { code: 'MED_DEPT', name: '市某局', region: '330100' };
    expect((await register(body, tokens.court)).status).toBe(403);
    const registered = await register(body);
    expect([registered.status, registered.body.code, registered.body.supervising]).toEqual([
      201,
      'MED_DEPT',
      false,
    ]);
    const again = await register({ ...body, name: '另一个' });
    expect([again.status, again.body.code]).toEqual([409, 'DEPARTMENT.ALREADY_EXISTS']);
    // the new department's own token is accepted here at once
    const own = await platform.token('MED_DEPT', ['initiator']);
    expect((await platform.api('GET', '/v1/departments', { token: own })).status).toBe(200);
  });

  it('is a provider one may run without HTTP', async () => {
    const view = await platform
      .get(RegisterDepartmentUseCase)
      .execute({ code: 'MED_SUPER', name: '区信用办', region: '330106', supervising: true });
    expect(view).toMatchObject({ code: 'MED_SUPER', region: '330106', supervising: true });
  });
});
