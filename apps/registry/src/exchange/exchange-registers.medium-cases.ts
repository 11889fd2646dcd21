import { generateKeyPairSync } from 'node:crypto';
import { MediumPlatform } from '../../../../test/support/medium';
import { Problem, seededRegistry, Tokens } from '../../../../test/support/medium-registry';

const REGION = '320600';
const pem = () => generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();

/**
 * The admin's registers of 区域联合奖惩 (RegisterPartnerUseCase, SetPartnerActiveUseCase,
 * CreateAgreementUseCase): a partner key is an Ed25519 key of a registered department, registered once;
 * an agreement names what its direction needs, a registered partner region and a list type of ours.
 * (What a partner's documents then do: receive-exchange-document.medium-cases.ts.)
 */
describe('exchange registers: partners and agreements', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  seededRegistry(async (started, seeded) => {
    [platform, tokens] = [started, seeded];
    const res = await platform.api('POST', '/v1/departments', {
      token: tokens.admin,
      body: { code: 'NT_PLATFORM', name: '信用南通', region: REGION },
    });
    expect(res.status).toBe(201);
  });

  const admin = <T>(method: string, path: string, body: unknown) =>
    platform.api<T & Problem>(method, path, { token: tokens.admin, body });
  const partner = (over: Record<string, unknown> = {}) =>
    admin<{ keyId: string; active: boolean }>('POST', '/v1/exchange/partners', {
      keyId: 'nt-1',
      region: REGION,
      platform: '信用南通',
      dept: 'NT_PLATFORM',
      publicKey: pem(),
      ...over,
    });

  it('registers a partner key once, of a registered department, and turns it off and on', async () => {
    const badKey = await partner({ publicKey: 'not a key' });
    expect([badKey.status, badKey.body.code]).toEqual([422, 'EXCHANGE.KEY_INVALID']);
    const noDept = await partner({ dept: 'NO_SUCH_DEPT' });
    expect([noDept.status, noDept.body.code]).toEqual([422, 'EXCHANGE.UNKNOWN_DEPARTMENT']);
    const registered = await partner();
    expect([registered.status, registered.body.keyId, registered.body.active]).toEqual([201, 'nt-1', true]);
    const twice = await partner();
    expect([twice.status, twice.body.code]).toEqual([409, 'EXCHANGE.KEY_EXISTS']);

    const off = await admin<{ active: boolean }>('PUT', '/v1/exchange/partners/nt-1', { active: false });
    expect([off.status, off.body.active]).toEqual([200, false]);
    const unknown = await admin('PUT', '/v1/exchange/partners/nt-9', { active: true });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'EXCHANGE.PARTNER_NOT_FOUND']);
  });

  it('records an agreement only when its direction, period, region and list type hold', async () => {
    const agreement = (over: Record<string, unknown>) =>
      admin<{ id: string; measures: string[] }>('POST', '/v1/exchange/agreements', {
        direction: 'inbound',
        partnerRegion: REGION,
        theirListType: 'NT_SXBZXR',
        ourListType: 'COURT_DEFAULTER',
        effectiveFrom: '2026-01-01',
        ...over,
      });
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ theirListType: undefined }, 'EXCHANGE.AGREEMENT_INVALID', 'theirListType'],
      [{ direction: 'outbound' }, 'EXCHANGE.AGREEMENT_INVALID', 'theirListType'],
      [{ effectiveTo: '2025-12-31' }, 'EXCHANGE.AGREEMENT_INVALID', 'effectiveTo'],
      [{ partnerRegion: '510100' }, 'EXCHANGE.UNKNOWN_PARTNER_REGION', 'partnerRegion'],
      [{ ourListType: 'NO_SUCH_TYPE' }, 'LIST_TYPE.NOT_FOUND', 'ourListType'],
    ];
    for (const [over, code, field] of refusals) {
      const res = await agreement(over);
      expect({
        over,
        status: res.status,
        code: res.body.code,
        fields: res.body.errors?.map((e) => e.field),
      }).toEqual({ over, status: 422, code, fields: [field] });
    }
    const made = await agreement({ measures: ['NT_BID', 'NT_BID'] });
    expect([made.status, made.body.measures]).toEqual([201, ['NT_BID']]);
  });
});
