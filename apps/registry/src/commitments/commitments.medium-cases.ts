import { MediumPlatform } from '../../../../test/support/medium';
import { company, Problem, seededRegistry, Tokens, uscc } from '../../../../test/support/medium-registry';

type Commitment = { id: string; status: string; settledByDept: string | null; settlementNote: string | null };

describe('commitments (信用承诺): recorded with stable refusals, settled once by who recorded them', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  let counter: string;

  seededRegistry(async (started, seeded) => {
    [platform, tokens] = [started, seeded];
    counter = await platform.token('CREDIT_OFFICE', ['credit_office']);
  });

  const post = (path: string, token: string, body: unknown) =>
    platform.api<Commitment & Problem>('POST', path, { token, body });
  const commitment = (over: Record<string, unknown> = {}) => ({
    subject: company(uscc('MCMT0001'), '某某公司'),
    matter: 'licence',
    text: '本单位承诺申请材料真实有效，如有不实，愿承担相应责任',
    ...over,
  });

  it('refuses bad input with stable codes, naming the field', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [commitment({ matter: 'lottery' }), 400, 'VALIDATION.FAILED', 'matter'],
      [commitment({ text: '' }), 400, 'VALIDATION.FAILED', 'text'],
      [commitment({ matter: 'repair' }), 422, 'COMMITMENT.ENTRY_REQUIRED', 'entryId'],
      [commitment({ madeOn: '2999-01-01' }), 422, 'COMMITMENT.MADE_IN_FUTURE', 'madeOn'],
      [
        commitment({ matter: 'repair', entryId: '00000000-0000-4000-8000-000000000000' }),
        422,
        'COMMITMENT.ENTRY_NOT_FOUND',
        'entryId',
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await post('/v1/commitments', tokens.court, body);
      expect({ status: res.status, code: res.body.code, field: res.body.errors?.[0]?.field }).toEqual({
        status,
        code,
        field,
      });
    }
  });

  it('is found kept or broken once, by the department it was made to or the counter', async () => {
    const made = await post('/v1/commitments', tokens.tax, commitment({ matter: 'subsidy' }));
    expect(made.status).toBe(201);
    const id = made.body.id;
    expect((await post(`/v1/commitments/${id}/kept`, tokens.court, {})).body).toMatchObject({
      status: 403,
      code: 'COMMITMENT.NOT_RECORDER',
    });
    expect((await post(`/v1/commitments/${id}/broken`, tokens.tax, {})).status).toBe(400);
    expect(
      (await post(`/v1/commitments/${id}/kept`, tokens.tax, { at: '2999-01-01T00:00:00Z' })).body.code,
    ).toBe('COMMITMENT.SETTLED_IN_FUTURE');
    expect(
      (await post(`/v1/commitments/${id}/kept`, tokens.tax, { at: '2020-01-01T00:00:00Z' })).body.code,
    ).toBe('COMMITMENT.SETTLED_BEFORE_RECORDED');
    expect((await post(`/v1/commitments/${id}/kept`, tokens.tax, { note: '按期履约' })).body).toMatchObject({
      status: 'kept',
      settledByDept: 'TAX',
      settlementNote: '按期履约',
    });
    expect((await post(`/v1/commitments/${id}/kept`, tokens.tax, {})).body.code).toBe(
      'COMMITMENT.ALREADY_SETTLED',
    );
    // a kept commitment can still be found broken (the subsidy was obtained by a false statement)
    expect(
      (await post(`/v1/commitments/${id}/broken`, counter, { note: '虚假材料骗取补贴' })).body,
    ).toMatchObject({
      status: 'broken',
      settledByDept: 'CREDIT_OFFICE',
    });
    expect((await post(`/v1/commitments/${id}/broken`, tokens.tax, { note: 'x' })).body.code).toBe(
      'COMMITMENT.ALREADY_SETTLED',
    );
  });
});
