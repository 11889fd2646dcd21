import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import {
  exchangePublication as publication,
  exchangeWithdrawal as withdrawal,
  PARTNER_REGION as HZ,
} from '../../../../test/support/exchange-documents';
import { idNumber, listTypeBody, Problem } from '../../../../test/support/medium-registry';
import { ExpireListEntriesJob } from '../list-entries/expire-list-entries.job';
import { signDocument } from './exchange-signature';

type Answer = { status: string; entryId: string; measures: string[]; replay?: boolean };

const SZ = '320500';
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
const DAY = 86_400_000;

/**
 * 区域联合奖惩, inbound (ReceiveExchangeDocumentUseCase, decision 0035) in registry alone: who may send, what
 * a document must be, what an agreement recognises, and what a publication or a withdrawal does to the
 * entry received under its origin id. Every refusal stores nothing. (The whole exchange in both modes,
 * with the fan-out of the agreed measures: test/exchange.)
 */
describe('inbound exchange documents (区域联合奖惩): checked, recognised, withdrawn', () => {
  let platform: MediumPlatform;
  const t = {} as Record<'admin' | 'hz' | 'sz' | 'stranger', string>;
  const hzKey = generateKeyPairSync('ed25519');
  const szKey = generateKeyPairSync('ed25519');

  const signed = (document: object, key: KeyObject = hzKey.privateKey, keyId = 'hz-1') =>
    signDocument(document, { keyId, privateKey: key });
  const send = (envelope: unknown, token = t.hz) =>
    platform.api<Answer & Problem & { errors?: { field: string }[] }>('POST', '/v1/exchange/inbound', {
      token,
      body: envelope,
    });
  const stored = async () =>
    (
      await platform.sql<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM registry.list_entries) AS entries,
                (SELECT count(*)::int FROM registry.subjects) AS subjects,
                (SELECT count(*)::int FROM registry.exchange_inbound) AS inbound,
                (SELECT count(*)::int FROM registry.exchange_origins) AS origins,
                (SELECT count(*)::int FROM registry.message_outbox)
                  + (SELECT count(*)::int FROM registry.message_published) AS outbox`,
      )
    )[0];
  /** sends a document that must be refused with `code`, and checks that the refusal stored nothing */
  const refused = async (envelope: unknown, status: number, code: string, token = t.hz) => {
    const before = await stored();
    const res = await send(envelope, token);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await stored()).toEqual(before);
    return res.body;
  };
  const entryOf = (id: string) =>
    platform.sql<{ status: string; owner_dept: string; end_reason: string | null }>(
      `SELECT status, owner_dept, end_reason FROM registry.list_entries WHERE id = $1`,
      [id],
    );

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.stranger = await platform.token('EXCOURT', ['system']);
    t.hz = await platform.token('HZ_PLATFORM', ['system']);
    t.sz = await platform.token('SZ_PLATFORM', ['system']);
    const admin = async (path: string, body: unknown, status = 201) => {
      const res = await platform.api('POST', path, { token: t.admin, body });
      expect({ path, status: res.status }).toEqual({ path, status });
    };
    await admin('/v1/departments', { code: 'EXCOURT', name: '法院', region: '330100' });
    await admin('/v1/departments', { code: 'HZ_PLATFORM', name: '信用湖州', region: HZ });
    await admin('/v1/departments', { code: 'SZ_PLATFORM', name: '信用苏州', region: SZ });
    await admin('/v1/list-types', {
      ...listTypeBody('EX_DEFAULTER', 'EXCOURT', 'serious', 730, 0),
      subjectKinds: ['legal_person'],
    });
    for (const [keyId, region, platformName, dept, key] of [
      ['hz-1', HZ, '信用湖州', 'HZ_PLATFORM', hzKey],
      ['sz-1', SZ, '信用苏州', 'SZ_PLATFORM', szKey],
    ] as const)
      await admin('/v1/exchange/partners', {
        keyId,
        region,
        platform: platformName,
        dept,
        publicKey: key.publicKey.export({ format: 'pem', type: 'spki' }),
      });
    const inbound = { direction: 'inbound', partnerRegion: HZ, ourListType: 'EX_DEFAULTER' };
    await admin('/v1/exchange/agreements', {
      ...inbound,
      theirListType: 'HZ_SXBZXR',
      measures: ['EX_FIN_BID'],
      effectiveFrom: '2026-01-01',
    });
    // an agreement that has run out recognises nothing
    await admin('/v1/exchange/agreements', {
      ...inbound,
      theirListType: 'HZ_OLD_LIST',
      effectiveFrom: '2020-01-01',
      effectiveTo: '2021-12-31',
    });
  });
  afterAll(() => platform?.close());

  it('recognises a publication as an entry in force of its platform; a replay answers the same, other content under its version is refused', async () => {
    const document = publication('HZ-M-0001', 'MEXC0001');
    const res = await send(signed(document));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'recognised', measures: ['EX_FIN_BID'] });
    expect(await entryOf(res.body.entryId)).toEqual([
      { status: 'published', owner_dept: 'HZ_PLATFORM', end_reason: null },
    ]);

    const before = await stored();
    const again = await send(signed(document));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'recognised', entryId: res.body.entryId, replay: true });
    expect(await stored()).toEqual(before);
    await refused(
      signed({ ...document, period: { from: document.period.from, to: fromNow(100 * DAY) } }),
      409,
      'EXCHANGE.VERSION_CONFLICT',
    );
    // a changed entry is withdrawn and sent anew, never revised in place
    await refused(signed({ ...document, version: 2 }), 409, 'EXCHANGE.REVISION_NOT_SUPPORTED');
  });

  it('a withdrawal ends the entry (withdrawn_by_origin); nothing is withdrawn twice or sent again after it', async () => {
    const recognised = await send(signed(publication('HZ-M-0002', 'MEXC0002')));
    expect(recognised.status).toBe(201);
    await refused(signed(withdrawal('HZ-M-0099', 'MEXC0099')), 422, 'EXCHANGE.UNKNOWN_ENTRY');

    const withdrawn = signed(withdrawal('HZ-M-0002', 'MEXC0002'));
    const res = await send(withdrawn);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', entryId: recognised.body.entryId });
    expect(await entryOf(recognised.body.entryId)).toEqual([
      { status: 'ended', owner_dept: 'HZ_PLATFORM', end_reason: 'withdrawn_by_origin' },
    ]);
    expect((await send(withdrawn)).body).toMatchObject({
      status: 'withdrawn',
      replay: true,
    });
    await refused(
      signed({ ...publication('HZ-M-0002', 'MEXC0002'), version: 3 }),
      409,
      'EXCHANGE.ENTRY_ENDED',
    );
  });

  it('notes the withdrawal of an entry whose period already ran out here, changing nothing else', async () => {
    const recognised = await send(
      signed(
        publication('HZ-M-0003', 'MEXC0003', {
          // a serious list's shortest period (a year) that ends within the hour
          period: { from: fromNow(-400 * DAY), to: fromNow(3_600_000) },
        }),
      ),
    );
    expect(recognised.status).toBe(201);
    expect(await platform.get(ExpireListEntriesJob).expireDue(new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    const res = await send(signed(withdrawal('HZ-M-0003', 'MEXC0003')));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'already_ended', entryId: recognised.body.entryId });
    expect(await entryOf(recognised.body.entryId)).toEqual([
      { status: 'ended', owner_dept: 'HZ_PLATFORM', end_reason: 'expired' },
    ]);
  });

  it('refuses a caller that is no partner, a key of another partner or no longer active, and an origin the key does not sign for', async () => {
    const document = publication('HZ-M-0010', 'MEXC0010');
    await refused(signed(document), 403, 'EXCHANGE.NOT_A_PARTNER', t.stranger);
    // Suzhou's platform sending a document signed with Huzhou's key
    await refused(signed(document), 403, 'EXCHANGE.KEY_OF_ANOTHER_PARTNER', t.sz);
    const problem = await refused(signed(document, szKey.privateKey), 422, 'EXCHANGE.BAD_SIGNATURE');
    expect(problem.errors?.[0]).toMatchObject({ field: 'signature.value' });
    const origin = await refused(
      signed({ ...document, origin: { ...document.origin, region: SZ } }),
      422,
      'EXCHANGE.ORIGIN_MISMATCH',
    );
    expect(origin.errors?.[0]).toMatchObject({ field: 'document.origin.region' });

    const deactivate = (active: boolean) =>
      platform.api('PUT', '/v1/exchange/partners/sz-1', { token: t.admin, body: { active } });
    expect((await deactivate(false)).status).toBe(200);
    await refused(signed(document, szKey.privateKey, 'sz-1'), 403, 'EXCHANGE.NOT_A_PARTNER', t.sz);
    await refused(signed(document, szKey.privateKey, 'sz-1'), 422, 'EXCHANGE.UNKNOWN_KEY');
    expect((await deactivate(true)).status).toBe(200);
  });

  it('refuses what no agreement in effect recognises, and what our list type cannot take', async () => {
    const expired = await refused(
      signed(publication('HZ-M-0020', 'MEXC0020', { listType: { code: 'HZ_OLD_LIST', colour: 'black' } })),
      422,
      'EXCHANGE.NO_AGREEMENT',
    );
    expect(expired.errors?.[0]).toMatchObject({ field: 'document.listType.code' });
    await refused(
      signed(publication('HZ-M-0021', 'MEXC0021', { listType: { code: 'HZ_SXBZXR', colour: 'red' } })),
      422,
      'EXCHANGE.COLOUR_MISMATCH',
    );
    await refused(
      signed(
        publication('HZ-M-0022', 'MEXC0022', {
          subject: { kind: 'individual', id: idNumber('19800101'), name: '张三' },
        }),
      ),
      422,
      'EXCHANGE.SUBJECT_KIND_NOT_ALLOWED',
    );
    const period = await refused(
      signed(publication('HZ-M-0023', 'MEXC0023', { period: { from: fromNow(DAY), to: fromNow(0) } })),
      422,
      'EXCHANGE.PERIOD_INVALID',
    );
    expect(period.errors?.[0]).toMatchObject({ field: 'document.period.to' });
    const { decision: _omitted, ...noDecision } = publication('HZ-M-0024', 'MEXC0024');
    const schema = await refused(signed({ ...noDecision, unknown: 1 }), 422, 'EXCHANGE.SCHEMA');
    expect(schema.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['document.decision', 'document.unknown']),
    );
  });
});
