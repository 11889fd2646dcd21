import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { Role } from '@credit/contracts';
import { schemaViolations } from '../../apps/registry/src/exchange/exchange-document';
import { signDocument, verifyDocument } from '../../apps/registry/src/exchange/exchange-signature';
import { uscc } from '../registry/registry-fixtures';
import { measureBody } from '../support/catalog-fixtures';
import {
  exchangePublication as publication,
  exchangeWithdrawal as withdrawal,
  PARTNER_REGION as REGION,
} from '../support/exchange-documents';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';

/** What the story needs of a running platform. */
export interface ExchangePlatform {
  url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  /** a supervisor of the credit office whose token names one region (decision 0020) */
  regionSupervisor(region: string): Promise<string>;
  /**
   * Rows of the tables an inbound document could write (registry's entries, subjects, exchange tables,
   * outbox), where the test can read the database; the story then checks a refusal changed none.
   */
  stored?: () => Promise<Record<string, number>>;
  close(): Promise<void>;
}

type Problem = { code: string; errors?: { field: string; code: string }[] };
type Answer = { status: string; entryId: string; measures: string[]; replay?: boolean };
type Assignment = { id: string; status: string; measureCode: string; dept: string };
type Envelope = {
  format: string;
  document: Record<string, unknown>;
  signature: { keyId: string; value: string };
};
type Outbound = {
  items: { position: number; partnerRegion: string; envelope: Envelope }[];
  nextCursor: string;
  caughtUp: boolean;
};

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/**
 * 区域联合奖惩 (issue 14, decision 0035) over HTTP, in both modes: 信用湖州 (region 330500) sends us signed
 * entries of its list HZ_SXBZXR, which an agreement recognises as our EX_DEFAULTER with two of our three
 * measures; it receives our EX_DEFAULTER entries. Each test names the rule it enforces.
 */
export function describeExchangeStory(name: string, start: () => Promise<ExchangePlatform>): void {
  describe(`exchange with other regions (区域联合奖惩) ${name}`, () => {
    let platform: ExchangePlatform;
    const url = () => platform.url;
    const t = {} as Record<'admin' | 'supervisor' | 'court' | 'partner' | 'stranger', string>;
    const partnerKey = generateKeyPairSync('ed25519');
    const received: Record<string, string> = {};
    const documents: Record<string, object> = {};

    const signed = <D extends object>(
      document: D,
      key: KeyObject = partnerKey.privateKey,
      keyId = 'hz-2026-1',
    ) => signDocument(document, { keyId, privateKey: key });
    const send = (envelope: unknown, token = t.partner) =>
      api<Answer & Problem>('POST', `${url().registry}/v1/exchange/inbound`, { token, body: envelope });
    const assignmentsOf = async (entryId: string) =>
      (
        await api<{ items: Assignment[] }>('GET', `${url().trigger}/v1/assignments?entryId=${entryId}`, {
          token: t.supervisor,
        })
      ).body.items ?? [];
    const pull = (cursor?: string) =>
      api<Outbound>('GET', `${url().registry}/v1/exchange/outbound${cursor ? `?cursor=${cursor}` : ''}`, {
        token: t.partner,
      });
    /**
     * What is stored once the earlier steps' consumers have written what they will (a lift reaches the
     * registry's outbox a moment after the trigger shows it): the same counts twice, 300 ms apart.
     */
    const settled = async (stored: () => Promise<Record<string, number>>) => {
      let last = await stored();
      return waitFor(
        async () => {
          await new Promise((r) => setTimeout(r, 300));
          const now = await stored();
          const same = JSON.stringify(now) === JSON.stringify(last);
          last = now;
          return same && now;
        },
        { timeoutMs: 15_000, message: 'the stored counts settle' },
      );
    };
    /** sends a document that must be refused with `code`, and checks the refusal stored nothing */
    const refused = async (envelope: unknown, status: number, code: string, token = t.partner) => {
      const before = platform.stored && (await settled(platform.stored));
      const res = await send(envelope, token);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      if (before) expect(await platform.stored!()).toEqual(before);
      return res.body;
    };

    beforeAll(async () => {
      platform = await start();
      t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
      t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
      for (const body of [
        { code: 'EXCOURT', name: '杭州市中级人民法院', region: '330100' },
        { code: 'EXFIN', name: '财政局', region: '330100' },
        { code: 'EXPOLICE', name: '公安局', region: '330100' },
        { code: 'EXTAX', name: '税务局', region: '330100' },
        { code: 'HZ_PLATFORM', name: '信用湖州', region: REGION },
        { code: 'EXSTRANGER', name: '某系统', region: '330100' },
      ]) {
        const res = await api('POST', `${url().registry}/v1/departments`, { token: t.admin, body });
        expect(res.status).toBe(201);
      }
      t.court = await platform.token('EXCOURT', ['initiator']);
      t.partner = await platform.token('HZ_PLATFORM', ['system']);
      t.stranger = await platform.token('EXSTRANGER', ['system']);
      // a department registered a moment ago is accepted within seconds
      await waitFor(async () => (await pull()).status === 403, {
        message: 'the partner department accepted',
      });
      const listType = await api('POST', `${url().registry}/v1/list-types`, {
        token: t.admin,
        body: {
          code: 'EX_DEFAULTER',
          name: '失信被执行人名单',
          colour: 'black',
          ownerDept: 'EXCOURT',
          legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
          infoClass: 'A',
          severity: 'serious',
          defaultPeriodDays: 730,
          subjectKinds: ['legal_person'],
          noticeWorkingDays: 0,
          minStatementWorkingDays: 0,
          minStatementReason: 'test: published at once',
          suspendOnObjection: false,
        },
      });
      expect(listType.status).toBe(201);
      const memorandum = await api('POST', `${url().trigger}/v1/memoranda`, {
        token: t.admin,
        body: {
          code: 'MOU-EXCHANGE',
          title: '联合惩戒合作备忘录',
          documentNo: '发改财金〔2016〕141号',
          listTypes: ['EX_DEFAULTER'],
          measures: [
            measureBody('EX_FIN_BID', 'EXFIN'),
            measureBody('EX_POLICE_WARN', 'EXPOLICE', { mode: 'warn', actions: ['exit_entry'] }),
            measureBody('EX_TAX_BLOCK', 'EXTAX', { actions: ['tax_invoice'] }),
          ],
        },
      });
      expect(memorandum.status).toBe(201);
      const partner = await api('POST', `${url().registry}/v1/exchange/partners`, {
        token: t.admin,
        body: {
          keyId: 'hz-2026-1',
          region: REGION,
          platform: '信用湖州',
          dept: 'HZ_PLATFORM',
          publicKey: partnerKey.publicKey.export({ format: 'pem', type: 'spki' }),
        },
      });
      expect(partner.status).toBe(201);
      for (const body of [
        {
          direction: 'inbound',
          partnerRegion: REGION,
          theirListType: 'HZ_SXBZXR',
          ourListType: 'EX_DEFAULTER',
          measures: ['EX_FIN_BID', 'EX_POLICE_WARN'],
          effectiveFrom: '2026-01-01',
        },
        {
          direction: 'outbound',
          partnerRegion: REGION,
          ourListType: 'EX_DEFAULTER',
          effectiveFrom: '2026-01-01',
        },
      ]) {
        const res = await api('POST', `${url().registry}/v1/exchange/agreements`, { token: t.admin, body });
        expect(res.status).toBe(201);
      }
    }, 180_000);

    afterAll(async () => {
      await platform?.close();
    });

    it('recognises a signed publication under an agreement: an entry in force with its origin, only the agreed measures assigned', async () => {
      documents.first = publication('HZ-2026-0001', 'EXCH0001');
      const res = await send(signed(documents.first));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'recognised', measures: ['EX_FIN_BID', 'EX_POLICE_WARN'] });
      received.first = res.body.entryId;
      const entry = await api<{ status: string; listType: string; ownerDept: string }>(
        'GET',
        `${url().registry}/v1/list-entries/${received.first}`,
        { token: t.supervisor },
      );
      expect(entry.body).toMatchObject({
        status: 'published',
        listType: 'EX_DEFAULTER',
        ownerDept: 'HZ_PLATFORM',
      });
      // the fan-out is one transaction: once any assignment shows, all of them do
      const assigned = await waitFor(async () => {
        const items = await assignmentsOf(received.first);
        return items.length > 0 && items;
      });
      expect(assigned.map((a) => a.measureCode).sort()).toEqual(['EX_FIN_BID', 'EX_POLICE_WARN']);
    });

    it('a replay of the same document is harmless: the same answer, no second entry, no more assignments', async () => {
      const again = await send(signed(documents.first));
      // a re-signed copy of the same content is the same document (Ed25519 is deterministic anyway)
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'recognised', entryId: received.first, replay: true });
      expect((await assignmentsOf(received.first)).length).toBe(2);
      const changed = await send(
        signed(
          publication('HZ-2026-0001', 'EXCH0001', {
            period: { from: new Date().toISOString(), to: daysFromNow(100) },
          }),
        ),
      );
      expect({ status: changed.status, code: changed.body.code }).toEqual({
        status: 409,
        code: 'EXCHANGE.VERSION_CONFLICT',
      });
    });

    it("the origin's withdrawal ends the entry (withdrawn_by_origin) and lifts its assignments", async () => {
      documents.withdrawal = withdrawal('HZ-2026-0001', 'EXCH0001');
      const res = await send(signed(documents.withdrawal));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'withdrawn', entryId: received.first });
      const entry = await api<{ status: string; endReason: string }>(
        'GET',
        `${url().registry}/v1/list-entries/${received.first}`,
        { token: t.supervisor },
      );
      expect(entry.body).toMatchObject({ status: 'ended', endReason: 'withdrawn_by_origin' });
      await waitFor(
        async () => {
          const items = await assignmentsOf(received.first);
          return items.length === 2 && items.every((a) => a.status === 'lifted');
        },
        { message: 'both assignments lifted' },
      );
      const replay = await send(signed(documents.withdrawal));
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ status: 'withdrawn', replay: true });
    });

    it('refuses a bad signature (EXCHANGE.BAD_SIGNATURE) and stores nothing: the same document, signed, is then new', async () => {
      const good = signed(publication('HZ-2026-0002', 'EXCH0002'));
      const tampered = {
        ...good,
        document: { ...good.document, subject: { ...good.document.subject, name: '别的公司' } },
      };
      const problem = await refused(tampered, 422, 'EXCHANGE.BAD_SIGNATURE');
      expect(problem.errors?.[0]).toMatchObject({ field: 'signature.value' });
      const res = await send(good);
      expect(res.status).toBe(201); // nothing of the refused one was kept: this is no replay
      expect(res.body.replay).toBeUndefined();
      received.second = res.body.entryId;
    });

    it('refuses a document against the schema (EXCHANGE.SCHEMA) naming each field, and stores nothing', async () => {
      const { decision: _omitted, ...noDecision } = publication('HZ-2026-0003', 'EXCH0003');
      const problem = await refused(
        signed({ ...noDecision, subject: { kind: 'legal_person', id: uscc('EXCH0003') }, unknown: 1 }),
        422,
        'EXCHANGE.SCHEMA',
      );
      expect(problem.errors?.map((e) => e.field)).toEqual(
        expect.arrayContaining(['document.decision', 'document.subject.name', 'document.unknown']),
      );
      await refused(
        { format: 'credit-exchange/1', document: publication('HZ-2026-0003', 'EXCH0003') },
        422,
        'EXCHANGE.SCHEMA',
      );
    });

    it('refuses an unknown key, and a caller that is not a partner platform, storing nothing', async () => {
      const other = generateKeyPairSync('ed25519');
      await refused(
        signed(publication('HZ-2026-0004', 'EXCH0004'), other.privateKey, 'hz-unknown'),
        422,
        'EXCHANGE.UNKNOWN_KEY',
      );
      // the registered key id but another private key: the signature does not verify
      await refused(
        signed(publication('HZ-2026-0004', 'EXCH0004'), other.privateKey),
        422,
        'EXCHANGE.BAD_SIGNATURE',
      );
      await refused(
        signed(publication('HZ-2026-0004', 'EXCH0004')),
        403,
        'EXCHANGE.NOT_A_PARTNER',
        t.stranger,
      );
    });

    it('refuses a list type no agreement recognises (EXCHANGE.NO_AGREEMENT) and stores nothing', async () => {
      const problem = await refused(
        signed(
          publication('HZ-2026-0005', 'EXCH0005', { listType: { code: 'HZ_TAX_BLACK', colour: 'black' } }),
        ),
        422,
        'EXCHANGE.NO_AGREEMENT',
      );
      expect(problem.errors?.[0]).toMatchObject({ field: 'document.listType.code' });
    });

    it('offers our publications and withdrawals to the partner, signed with our key and valid against the schema; received entries are not echoed', async () => {
      const created = await api<{ id: string }>('POST', `${url().registry}/v1/list-entries`, {
        token: t.court,
        body: {
          listType: 'EX_DEFAULTER',
          subject: { kind: 'legal_person', id: uscc('EXCH0100'), name: '杭州出境测试有限公司' },
          decision: { documentNo: '(2026)浙01执100号', date: today(), facts: '拒不履行' },
        },
      });
      expect(created.status).toBe(201);
      for (const step of ['notice', 'publish'])
        expect(
          (
            await api('POST', `${url().registry}/v1/list-entries/${created.body.id}/${step}`, {
              token: t.court,
            })
          ).status,
        ).toBe(200);
      const ours = await api<{ publicKey: string; keyId: string; region: string }>(
        'GET',
        `${url().registry}/v1/exchange/key`,
        {
          token: t.partner,
        },
      );
      expect(ours.status).toBe(200);
      const publicKey = createPublicKey(ours.body.publicKey);
      const verified = (envelope: Envelope) =>
        envelope.signature.keyId === ours.body.keyId &&
        verifyDocument(envelope.document, envelope.signature.value, publicKey);

      const first = await pull();
      expect(first.status).toBe(200);
      const published = first.body.items.filter(
        (i) => (i.envelope.document.origin as { entryId: string }).entryId === created.body.id,
      );
      expect(published).toHaveLength(1);
      expect(published[0].envelope.document).toMatchObject({
        kind: 'publication',
        version: 1,
        origin: { region: ours.body.region, entryId: created.body.id },
        subject: { id: uscc('EXCH0100') },
      });
      expect(verified(published[0].envelope)).toBe(true);
      expect(schemaViolations(published[0].envelope)).toEqual([]);
      // what we received from the partner is not sent back to it
      const echoed = first.body.items.filter((i) =>
        Object.values(received).includes((i.envelope.document.origin as { entryId: string }).entryId),
      );
      expect(echoed).toEqual([]);

      const ended = await api('POST', `${url().registry}/v1/list-entries/${created.body.id}/end`, {
        token: t.court,
        body: { reason: 'repaired', note: '已履行' },
      });
      expect(ended.status).toBe(200);
      const next = await pull(first.body.nextCursor);
      expect(next.body.items.map((i) => i.envelope.document)).toEqual([
        expect.objectContaining({
          kind: 'withdrawal',
          version: 2,
          reason: 'repaired',
          origin: expect.objectContaining({ entryId: created.body.id }),
        }),
      ]);
      expect(verified(next.body.items[0].envelope)).toBe(true);
      expect(schemaViolations(next.body.items[0].envelope)).toEqual([]);
      expect(next.body.caughtUp).toBe(true);
      // a changed byte and the signature no longer verifies
      const forged = {
        ...next.body.items[0].envelope,
        document: { ...next.body.items[0].envelope.document, reason: 'expired' },
      };
      expect(verified(forged)).toBe(false);
    });

    it('shows supervisors the entries received, withdrawn, their assignments and lifts by origin region', async () => {
      type Row = {
        originRegion: string;
        received: number;
        recognised: number;
        withdrawn: number;
        inForce: number;
        assignments: number;
        lifted: number;
        hits: number;
      };
      // the recognised entry in force (0002) blocks a bid at finance; tax's measure was not agreed
      const check = async (dept: string, action: string) =>
        (
          await api<{ decision: string }>('POST', `${url().enforcement}/v1/checks`, {
            token: await platform.token(dept, ['system']),
            body: { subject: { id: uscc('EXCH0002') }, action },
          })
        ).body.decision;
      await waitFor(async () => (await check('EXFIN', 'government_procurement_bid')) === 'block', {
        message: 'the check blocks the bid',
      });
      expect(await check('EXTAX', 'tax_invoice')).toBe('allow');
      const row = await waitFor(
        async () => {
          const res = await api<{ items: Row[] }>('GET', `${url().tracking}/v1/stats/origins`, {
            token: t.supervisor,
          });
          const found = res.body.items?.find((r) => r.originRegion === REGION);
          // two recognised (0001, then 0002), one withdrawn; 0001's two assignments lifted, 0002's two issued;
          // one check hit (finance's block)
          return (
            found &&
            found.recognised === 2 &&
            found.assignments === 4 &&
            found.lifted === 2 &&
            found.hits === 1 &&
            found
          );
        },
        { message: 'the origin statistics caught up' },
      );
      expect(row).toMatchObject({ received: 3, recognised: 2, withdrawn: 1, inForce: 1 });
      // a supervisor of another region sees what was received, and none of its departments' assignments
      const elsewhere = await api<{ items: Row[]; region: string }>(
        'GET',
        `${url().tracking}/v1/stats/origins`,
        {
          token: await platform.regionSupervisor('330200'),
        },
      );
      expect(elsewhere.body.region).toBe('330200');
      expect(elsewhere.body.items.find((r) => r.originRegion === REGION)).toMatchObject({
        recognised: 2,
        assignments: 0,
        hits: 0,
      });
      const refusedRole = await api<Problem>('GET', `${url().tracking}/v1/stats/origins`, { token: t.court });
      expect(refusedRole.status).toBe(403);
    });
  });
}
