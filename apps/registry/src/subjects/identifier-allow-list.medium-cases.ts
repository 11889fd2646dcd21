import { MediumPlatform } from '../../../../test/support/medium';
import { Problem, seededRegistry, Tokens } from '../../../../test/support/medium-registry';

// a pilot code: right in form, wrong check character (the last one)
const PILOT = '91330106MA2H7QK4XA';

/**
 * The identifier allow-list (AllowIdentifierUseCase, DisallowIdentifierUseCase): an admin admits a pilot
 * code that fails only its checksum, once, and takes it off once; a code wrong in form is refused.
 */
describe('identifier allow-list: admitting and removing pilot codes', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const allow = (code: string) =>
    platform.api<Problem & { code: string; note: string }>('POST', '/v1/identifier-allow-list', {
      token: tokens.admin,
      body: { code, note: '2015年试点期间赋码' },
    });
  const disallow = (code: string) =>
    platform.api<Problem>('DELETE', `/v1/identifier-allow-list/${encodeURIComponent(code)}`, {
      token: tokens.admin,
    });

  it('admits a normalised pilot code once and removes it once', async () => {
    const added = await allow(` ${PILOT.toLowerCase()} `);
    expect([added.status, added.body]).toEqual([201, { code: PILOT, note: '2015年试点期间赋码' }]);
    expect((await allow(PILOT)).body.code).toBe('ALLOW_LIST.ALREADY_LISTED');
    expect((await disallow(PILOT.toLowerCase())).status).toBe(204);
    const gone = await disallow(PILOT);
    expect([gone.status, gone.body.code]).toEqual([404, 'ALLOW_LIST.NOT_LISTED']);
  });

  it('refuses a code wrong in more than its checksum, storing nothing', async () => {
    const wrong = await allow('91330106MA2H7QK4X!');
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toMatch(/^SUBJECT\./);
    const rows = await platform.sql('SELECT 1 FROM registry.identifier_allow_list WHERE code LIKE $1', [
      '91330106MA2H7QK4X%',
    ]);
    expect(rows).toEqual([]);
  });
});
