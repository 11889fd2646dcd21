import { randomInt } from 'node:crypto';
import { Role } from '@credit/contracts';
import { DECISION, idNumber, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { api } from '../support/services';

/** Where the publication story runs: the registry's address (the embedded platform's, or the service's). */
export interface PublicationTarget {
  url: string;
  token(dept: string, roles: Role[]): Promise<string>;
  close(): Promise<void>;
}

/** The settings both modes run the story with (the rate-limit test counts on them). */
export const PUBLIC_QUOTA_PER_CLIENT = 25;
export const PUBLIC_CACHE_TTL_MS = 3_000;

interface PublicRecord {
  entryId: string;
  revision: number;
  listType: { code: string; name: string };
  ownerDept: { code: string; name: string };
  subject: { kind: string; id: string; name: string; masked: boolean };
  decision: { documentNo: string; date: string };
  period: { from: string; to?: string };
  publishedAt: string;
}
interface FeedItem {
  position: number;
  id: string;
  type: string;
  entryId: string;
  data: { reason?: string; revision: number; subject: PublicRecord['subject'] };
}
type Feed = { items: FeedItem[]; nextCursor: string; caughtUp: boolean };

/** A reader of the public routes: no token; a client address of its own (TRUST_PROXY=loopback). */
async function publicGet<T = Record<string, unknown>>(url: string, client = randomClient()) {
  const response = await fetch(url, { headers: { 'x-forwarded-for': client } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}
const randomClient = () => `198.51.100.${randomInt(1, 254)}, 10.${randomInt(0, 255)}.${randomInt(0, 255)}.1`;

/**
 * 公示 and its withdrawal (issue 14) over HTTP: masking on the public route, search, minor lists not
 * published, a withdrawal gone from the public route and in the feed within a minute, the feed's cursor,
 * acknowledgement and reconciliation, and the public routes' rate limit.
 */
export function describePublicationStory(
  name: string,
  start: () => Promise<PublicationTarget>,
  /** tests of one mode only, run after the story and before the platform stops */
  modeTests: () => void = () => undefined,
): void {
  describe(`公示 and its withdrawal ${name}`, () => {
    let target: PublicationTarget;
    const url = () => target.url;
    const t = {} as Record<'admin' | 'court' | 'platform' | 'otherSystem' | 'supervisor', string>;
    const company = { kind: 'legal_person', id: uscc('PUBL1C01'), name: '杭州公示测试科技有限公司' };
    const person = { kind: 'individual', id: idNumber('19800101', '731'), name: '张三丰' };
    const entry = {} as Record<'company' | 'person' | 'minor' | 'minorShown' | 'classB', string>;

    const create = async (listType: string, subject: typeof company) => {
      const created = await api<{ id: string }>('POST', `${url()}/v1/list-entries`, {
        token: t.court,
        // decided today: the period counts from the decision date (decision 0033), and a minor list's is short
        body: {
          listType,
          subject,
          decision: { ...DECISION, date: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10) },
        },
      });
      expect(created.status).toBe(201);
      for (const step of ['notice', 'publish']) {
        const res = await api('POST', `${url()}/v1/list-entries/${created.body.id}/${step}`, {
          token: t.court,
        });
        expect(res.status).toBe(200);
      }
      return created.body.id;
    };
    const pull = async (query = '', token = t.platform) =>
      api<Feed>('GET', `${url()}/v1/publication-feed${query}`, { token });

    beforeAll(async () => {
      target = await start();
      t.admin = await target.token('CREDIT_OFFICE', ['admin']);
      t.supervisor = await target.token('CREDIT_OFFICE', ['supervisor']);
      for (const body of [
        { code: 'PUBCOURT', name: '杭州市中级人民法院', region: '330100' },
        { code: 'XYZG', name: '信用中国', region: '100000', externalPlatform: true },
        { code: 'PUBTAX', name: 'tax', region: '330100' },
      ]) {
        const res = await api('POST', `${url()}/v1/departments`, { token: t.admin, body });
        expect(res.status).toBe(201);
      }
      t.court = await target.token('PUBCOURT', ['initiator']);
      t.platform = await target.token('XYZG', ['system']);
      t.otherSystem = await target.token('PUBTAX', ['system']);
      const listType = (code: string, infoClass: string, severity: string, days: number, extra = {}) => ({
        code,
        name: `${code} 名单`,
        colour: 'black',
        ownerDept: 'PUBCOURT',
        legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
        infoClass,
        severity,
        defaultPeriodDays: days,
        subjectKinds: ['legal_person', 'individual'],
        noticeWorkingDays: 0,
        minStatementWorkingDays: 0,
        minStatementReason: 'test: published at once',
        suspendOnObjection: false,
        criteria: '有履行能力而拒不履行生效法律文书确定义务',
        exitConditions: '履行完毕',
        ...extra,
      });
      for (const body of [
        listType('PUB_A', 'A', 'serious', 730),
        listType('PUB_MINOR', 'A', 'minor', 60),
        listType('PUB_MINOR_SHOWN', 'A', 'minor', 60, { publishMinor: true }),
        listType('PUB_B', 'B', 'serious', 730),
      ]) {
        const res = await api('POST', `${url()}/v1/list-types`, { token: t.admin, body });
        expect(res.status).toBe(201);
      }
      entry.company = await create('PUB_A', company);
      entry.person = await create('PUB_A', person);
      entry.minor = await create('PUB_MINOR', { ...company, id: uscc('PUBL1C02'), name: '轻微失信企业' });
      entry.minorShown = await create('PUB_MINOR_SHOWN', {
        ...company,
        id: uscc('PUBL1C03'),
        name: '公示轻微企业',
      });
      entry.classB = await create('PUB_B', { ...company, id: uscc('PUBL1C04'), name: 'B类企业' });
    }, 180_000);

    afterAll(async () => {
      await target?.close();
    });

    it('shows class-A entries in force without a token: a company in clear, an individual masked (张**, 3301…)', async () => {
      const res = await publicGet<{ items: PublicRecord[] }>(`${url()}/public/v1/entries?listType=PUB_A`);
      expect(res.status).toBe(200);
      const byEntry = new Map(res.body.items.map((i) => [i.entryId, i]));
      expect(byEntry.get(entry.company)).toMatchObject({
        revision: 1,
        listType: { code: 'PUB_A', name: 'PUB_A 名单' },
        ownerDept: { code: 'PUBCOURT', name: '杭州市中级人民法院' },
        subject: { kind: 'legal_person', id: company.id, name: company.name, masked: false },
        decision: {
          documentNo: DECISION.documentNo,
          date: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        },
      });
      expect(byEntry.get(entry.person)!.subject).toEqual({
        kind: 'individual',
        id: `${person.id.slice(0, 4)}**********${person.id.slice(-4)}`,
        name: '张**',
        masked: true,
      });
      expect(byEntry.get(entry.company)!.period.to).toBeDefined();
      // nothing else personal: no full ID number or name, no facts of the decision
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(person.id);
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(DECISION.facts);
    });

    it("searches by code, by part of a company's name, and finds a person only by the whole name or ID number", async () => {
      const search = async (q: string) =>
        (
          await publicGet<{ items: PublicRecord[] }>(`${url()}/public/v1/entries?q=${encodeURIComponent(q)}`)
        ).body.items.map((i) => i.entryId);
      expect(await search(company.id)).toEqual([entry.company]);
      expect(await search(company.id.toLowerCase())).toEqual([entry.company]);
      expect(await search('公示测试科技')).toEqual([entry.company]);
      expect(await search('张三丰')).toEqual([entry.person]);
      expect(await search(person.id)).toEqual([entry.person]);
      expect(await search('张三')).toEqual([]);
      const tooShort = await publicGet(`${url()}/public/v1/entries?q=${encodeURIComponent('张')}`);
      expect(tooShort.status).toBe(400);
    });

    it('does not publish a minor-severity list type unless it says so, nor a class-B one', async () => {
      const ids = async (listType: string) =>
        (
          await publicGet<{ items: PublicRecord[] }>(`${url()}/public/v1/entries?listType=${listType}`)
        ).body.items.map((i) => i.entryId);
      expect(await ids('PUB_MINOR')).toEqual([]);
      expect(await ids('PUB_MINOR_SHOWN')).toEqual([entry.minorShown]);
      expect(await ids('PUB_B')).toEqual([]);
      const types = await publicGet<{
        items: { code: string; criteria: string; exitConditions: string; legalBasis: string }[];
      }>(`${url()}/public/v1/list-types`);
      expect(types.status).toBe(200);
      const codes = types.body.items.map((i) => i.code);
      expect(codes).toEqual(expect.arrayContaining(['PUB_A', 'PUB_MINOR_SHOWN']));
      expect(codes).not.toContain('PUB_MINOR');
      expect(codes).not.toContain('PUB_B');
      expect(types.body.items.find((i) => i.code === 'PUB_A')).toMatchObject({
        criteria: '有履行能力而拒不履行生效法律文书确定义务',
        exitConditions: '履行完毕',
        legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
      });
    });

    it('feeds every publication to an external platform in order, page by page from a cursor', async () => {
      const all = await pull('?limit=1000');
      expect(all.status).toBe(200);
      const published = all.body.items.filter((i) => i.type === 'credit.publication.published.v1');
      expect(published.map((i) => i.entryId).sort()).toEqual(
        [entry.company, entry.person, entry.minorShown].sort(),
      );
      expect(published.find((i) => i.entryId === entry.person)!.data.subject.masked).toBe(true);
      const positions = all.body.items.map((i) => i.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // page by page with the cursor: the same changes, in the same order
      const paged: number[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i += 1) {
        const page = await pull(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        paged.push(...page.body.items.map((item) => item.position));
        cursor = page.body.nextCursor;
        if (page.body.caughtUp) break;
      }
      expect(paged).toEqual(positions);
      // only an external platform's system pulls it
      const other = await pull('', t.otherSystem);
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ code: 'PUBLICATION.NOT_AN_EXTERNAL_PLATFORM' });
    });

    it('withdraws an ended entry from the public route and the feed within a minute (终止公示)', async () => {
      // a reader had it on screen: the answer is cached
      expect(
        (
          await publicGet<{ items: PublicRecord[] }>(
            `${url()}/public/v1/entries?q=${company.id}`,
            '203.0.113.50',
          )
        ).body.items,
      ).toHaveLength(1);
      const before = (await pull('?limit=1000')).body;
      const endedAt = Date.now();
      const ended = await api('POST', `${url()}/v1/list-entries/${entry.company}/end`, {
        token: t.court,
        body: { reason: 'repaired', note: '信用修复' },
      });
      expect(ended.status).toBe(200);

      const withdrawn = await waitFor(
        async () => {
          const page = await pull(`?cursor=${before.nextCursor}`);
          return page.body.items.find(
            (i) => i.entryId === entry.company && i.type === 'credit.publication.withdrawn.v1',
          );
        },
        { timeoutMs: 60_000, intervalMs: 100, message: 'the withdrawal in the feed' },
      );
      const inFeedMs = Date.now() - endedAt;
      expect(withdrawn.data).toMatchObject({ reason: 'repaired', revision: 1, subject: { id: company.id } });

      await waitFor(
        async () => {
          const res = await publicGet<{ items: PublicRecord[] }>(
            `${url()}/public/v1/entries?q=${company.id}`,
            '203.0.113.50',
          );
          return res.status === 200 && res.body.items.length === 0;
        },
        { timeoutMs: 60_000, intervalMs: 250, message: 'the ended entry gone from the public route' },
      );
      const goneMs = Date.now() - endedAt;
      expect(inFeedMs).toBeLessThan(60_000);
      expect(goneMs).toBeLessThan(60_000);
      // the rest stays on display
      const left = await publicGet<{ items: PublicRecord[] }>(`${url()}/public/v1/entries?listType=PUB_A`);
      expect(left.body.items.map((i) => i.entryId)).toEqual([entry.person]);
    });

    it('acknowledges what a platform mirrored; reconciliation shows the withdrawals it has not acknowledged', async () => {
      const feed = (await pull('?limit=1000')).body.items;
      const withdrawal = feed.find(
        (i) => i.type === 'credit.publication.withdrawn.v1' && i.entryId === entry.company,
      )!;
      const unacknowledged = async (graceSeconds: number) =>
        (
          await api<{ items: { dept: string; entryId: string; reason: string; position: number }[] }>(
            'GET',
            `${url()}/v1/publication-feed/unacknowledged?dept=XYZG&graceSeconds=${graceSeconds}`,
            { token: t.supervisor },
          )
        ).body.items;
      // within the grace period nothing is shown yet
      expect(await unacknowledged(3600)).toEqual([]);
      expect(await unacknowledged(0)).toEqual([
        expect.objectContaining({
          dept: 'XYZG',
          entryId: entry.company,
          reason: 'repaired',
          position: withdrawal.position,
        }),
      ]);

      // acknowledged up to just before the withdrawal: still open
      const partial = await api('POST', `${url()}/v1/publication-feed/ack`, {
        token: t.platform,
        body: { position: withdrawal.position - 1 },
      });
      expect(partial.status).toBe(200);
      expect(await unacknowledged(0)).toHaveLength(1);
      // a pull without a cursor resumes after the acknowledged position
      expect((await pull()).body.items[0].position).toBe(withdrawal.position);

      const beyond = await api('POST', `${url()}/v1/publication-feed/ack`, {
        token: t.platform,
        body: { position: feed[feed.length - 1].position + 1000 },
      });
      expect(beyond.status).toBe(422);
      expect(beyond.body).toMatchObject({ code: 'PUBLICATION.ACK_BEYOND_FEED' });
      const full = await api<{ position: number }>('POST', `${url()}/v1/publication-feed/ack`, {
        token: t.platform,
        body: { position: withdrawal.position },
      });
      expect(full.body.position).toBe(withdrawal.position);
      expect(await unacknowledged(0)).toEqual([]);
      // an acknowledgement never goes back
      const back = await api<{ position: number }>('POST', `${url()}/v1/publication-feed/ack`, {
        token: t.platform,
        body: { position: 1 },
      });
      expect(back.body.position).toBe(withdrawal.position);
    });

    it('republishes a corrected period as the next revision, after withdrawing the record shown as `corrected`', async () => {
      const shown = (await publicGet<{ items: PublicRecord[] }>(`${url()}/public/v1/entries?q=${person.id}`))
        .body.items[0];
      const before = (await pull('?limit=1000')).body;
      const objection = await api<{ id: string }>(
        'POST',
        `${url()}/v1/list-entries/${entry.person}/objections`,
        {
          token: t.court,
          body: { reason: '期限有误' },
        },
      );
      expect(objection.status).toBe(201);
      const to = new Date(new Date(shown.period.from).getTime() + 400 * 86_400_000).toISOString();
      const resolved = await api('POST', `${url()}/v1/objections/${objection.body.id}/resolve`, {
        token: t.court,
        body: {
          outcome: 'corrected',
          note: '更正期限',
          correction: { period: { from: shown.period.from, to } },
        },
      });
      expect(resolved.status).toBe(200);
      const changes = await waitFor(
        async () => {
          const page = await pull(`?cursor=${before.nextCursor}`);
          const mine = page.body.items.filter((i) => i.entryId === entry.person);
          return mine.length >= 2 ? mine : undefined;
        },
        { timeoutMs: 60_000, message: 'the correction in the feed' },
      );
      expect(changes.map((c) => [c.type, c.data.revision, c.data.reason])).toEqual([
        ['credit.publication.withdrawn.v1', 1, 'corrected'],
        ['credit.publication.published.v1', 2, undefined],
      ]);
      const corrected = await waitFor(
        async () => {
          const res = await publicGet<{ items: PublicRecord[] }>(`${url()}/public/v1/entries?q=${person.id}`);
          return res.body.items[0]?.revision === 2 ? res.body.items[0] : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250, message: 'the corrected record on the public route' },
      );
      expect(corrected.period).toEqual({ from: shown.period.from, to });
      expect(corrected.publishedAt).toBe(shown.publishedAt);
      expect(corrected.subject.masked).toBe(true);
    });

    it('limits the public routes per client address (429 with Retry-After); another address is not held up', async () => {
      const client = '203.0.113.99';
      let refused: Awaited<ReturnType<typeof publicGet>> | undefined;
      let admitted = 0;
      for (let i = 0; i < PUBLIC_QUOTA_PER_CLIENT + 5 && !refused; i += 1) {
        const res = await publicGet(`${url()}/public/v1/list-types`, client);
        if (res.status === 429) refused = res;
        else admitted += 1;
      }
      expect(refused).toBeDefined();
      expect(admitted).toBeLessThanOrEqual(PUBLIC_QUOTA_PER_CLIENT);
      expect(refused!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused!.body).toMatchObject({ code: 'QUOTA.EXCEEDED', quota: 'public', scope: 'client' });
      expect((await publicGet(`${url()}/public/v1/list-types`, '203.0.113.100')).status).toBe(200);
    });

    modeTests();
  });
}
