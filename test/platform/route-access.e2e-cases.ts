import { Client } from 'pg';
import { mintToken } from '@credit/auth';
import { ROLES, Role } from '@credit/contracts';
import { DECISION, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import {
  api,
  ApiResponse,
  ServiceName,
  startPlatform,
  TEST_JWT_SECRET,
  TestPlatform,
} from '../support/services';

type OpenApi = { paths: Record<string, Record<string, unknown>> };

const ALL: Role[] = [...ROLES];
const EVERYONE_BUT_PARTIES: Role[] = ['admin', 'supervisor', 'initiator', 'implementer', 'system'];
const ENTRY_READERS: Role[] = ['initiator', 'supervisor', 'implementer', 'system', 'admin', 'subject'];

/** A public route (公示, API.md "Public disclosure"): served without a token, to anyone. */
const NO_TOKEN = 'no token' as const;
/** Roles of a department flagged as an external platform; another department's get 403 with this code. */
const OF_EXTERNAL_PLATFORM = (...roles: Role[]) => ({
  roles,
  otherDepartments: 'PUBLICATION.NOT_AN_EXTERNAL_PLATFORM',
});
/** Roles of a department registered as a partner region's platform (区域联合奖惩, decision 0035). */
const OF_PARTNER_PLATFORM = (...roles: Role[]) => ({ roles, otherDepartments: 'EXCHANGE.NOT_A_PARTNER' });
type RouteRow = Role[] | typeof NO_TOKEN | ReturnType<typeof OF_EXTERNAL_PLATFORM>;

/** The roles a row lets through (every role on a public route). */
const rolesOf = (row: RouteRow | undefined): Role[] =>
  row === NO_TOKEN ? ALL : Array.isArray(row) ? row : (row?.roles ?? []);

/**
 * Who may call each route: one row per documented operation ("service METHOD path" as in the service's
 * OpenAPI document). A route without a row fails the test, and so does a row without a route: a new
 * route is not served until someone wrote down who may call it. Decision 0020.
 */
const ROUTES: Record<string, RouteRow> = {
  // registry
  'registry POST /v1/departments': ['admin'],
  'registry GET /v1/departments': EVERYONE_BUT_PARTIES,
  'registry POST /v1/list-types': ['admin'],
  'registry PUT /v1/list-types/{code}': ['admin'],
  'registry GET /v1/list-types': EVERYONE_BUT_PARTIES,
  'registry GET /v1/list-types/{code}': EVERYONE_BUT_PARTIES,
  'registry POST /v1/list-entries': ['initiator'],
  'registry GET /v1/list-entries': ['initiator'],
  'registry GET /v1/list-entries/{id}': ENTRY_READERS,
  'registry POST /v1/list-entries/{id}/notice': ['initiator'],
  'registry POST /v1/list-entries/{id}/publish': ['initiator'],
  'registry POST /v1/list-entries/{id}/end': ['initiator'],
  'registry POST /v1/list-entries/{id}/extensions': ['initiator'],
  'registry POST /v1/list-entries/{id}/objections': ['initiator', 'subject', 'credit_office'],
  'registry GET /v1/me/objections': ['subject'],
  // the listed subject as a party (decision 0024): a subject or counter clerk that is not a party to the
  // entry is refused with 403 SUBJECT.NOT_A_PARTY, which the matrix tells apart from a role refusal
  'registry POST /v1/list-entries/{id}/statements': ['subject', 'credit_office', 'initiator'],
  'registry GET /v1/list-entries/{id}/statements': ['subject', 'initiator', 'supervisor'],
  'registry GET /v1/statements/{id}': ['subject', 'initiator', 'supervisor'],
  'registry GET /v1/statements': ['initiator', 'supervisor'],
  'registry POST /v1/statements/{id}/answer': ['initiator'],
  'registry GET /v1/me/record': ['subject'],
  'registry GET /v1/subjects/{identifier}/record': ['credit_office', 'supervisor'],
  'registry POST /v1/objections/{id}/resolve': ['initiator'],
  'registry GET /v1/objections': ['initiator', 'supervisor'],
  'registry GET /v1/list-entries/{id}/amendments': ENTRY_READERS,
  'registry POST /v1/list-entries/{id}/repair-applications': ['subject', 'credit_office', 'initiator'],
  'registry POST /v1/repair-applications/{id}/request-material': ['initiator'],
  'registry POST /v1/repair-applications/{id}/supply-material': ['subject', 'credit_office', 'initiator'],
  'registry POST /v1/repair-applications/{id}/accept': ['initiator'],
  'registry POST /v1/repair-applications/{id}/decide': ['initiator'],
  'registry POST /v1/repair-applications/{id}/withdrawal': ['subject', 'credit_office'],
  'registry GET /v1/repair-applications': ['initiator', 'supervisor'],
  'registry GET /v1/repair-applications/{id}': ['subject', 'credit_office', 'initiator', 'supervisor'],
  'registry GET /v1/me/applications': ['subject'],
  'registry GET /v1/list-entries/{id}/documents': ['subject', 'initiator', 'supervisor'],
  'registry GET /v1/documents/{id}': ['subject', 'initiator', 'supervisor'],
  'registry POST /v1/list-entries/imports': ['initiator'],
  'registry GET /v1/list-entries/imports/{id}': ['initiator', 'supervisor'],
  'registry GET /v1/subjects/{identifier}': ENTRY_READERS,
  'registry GET /v1/identifier-allow-list': ['admin', 'supervisor'],
  'registry POST /v1/identifier-allow-list': ['admin'],
  'registry DELETE /v1/identifier-allow-list/{code}': ['admin'],
  'registry POST /v1/commitments': ['initiator', 'credit_office', 'admin'],
  'registry POST /v1/commitments/{id}/kept': ['initiator', 'credit_office', 'admin'],
  'registry POST /v1/commitments/{id}/broken': ['initiator', 'credit_office', 'admin'],
  'registry GET /v1/commitments': ['initiator', 'supervisor', 'credit_office', 'admin'],
  'registry GET /v1/me/commitments': ['subject'],
  'registry GET /public/v1/entries': NO_TOKEN,
  'registry GET /public/v1/list-types': NO_TOKEN,
  'registry GET /v1/publication-feed': OF_EXTERNAL_PLATFORM('system'),
  'registry POST /v1/publication-feed/ack': OF_EXTERNAL_PLATFORM('system'),
  'registry GET /v1/publication-feed/unacknowledged': ['supervisor'],
  'registry GET /v1/publication-feed/changes': ['supervisor'],
  // 区域联合奖惩 (decision 0035): registers by the admin, documents by a partner platform's system
  'registry POST /v1/exchange/partners': ['admin'],
  'registry GET /v1/exchange/partners': ['admin'],
  'registry PUT /v1/exchange/partners/{keyId}': ['admin'],
  'registry POST /v1/exchange/agreements': ['admin'],
  'registry GET /v1/exchange/agreements': ['admin'],
  'registry POST /v1/exchange/inbound': OF_PARTNER_PLATFORM('system'),
  'registry GET /v1/exchange/outbound': OF_PARTNER_PLATFORM('system'),
  'registry GET /v1/exchange/key': ['admin', 'system'],
  // trigger
  'trigger POST /v1/memoranda': ['admin'],
  'trigger POST /v1/memoranda/import': ['admin'],
  'trigger GET /v1/memoranda': EVERYONE_BUT_PARTIES,
  'trigger GET /v1/memoranda/{code}': EVERYONE_BUT_PARTIES,
  'trigger POST /v1/memoranda/{code}/measures': ['admin'],
  'trigger GET /v1/measures': EVERYONE_BUT_PARTIES,
  'trigger GET /v1/measures/{code}/versions': EVERYONE_BUT_PARTIES,
  'trigger PUT /v1/measures/{code}': ['admin'],
  'trigger POST /v1/measures/{code}/retire': ['admin'],
  'trigger GET /v1/measures/legality-report': ['admin', 'supervisor'],
  'trigger PUT /v1/memoranda/{code}/effective-period': ['admin'],
  'trigger POST /v1/list-entries/{id}/excluded-measures': ['initiator'],
  'trigger GET /v1/list-entries/{id}/excluded-measures': ['initiator', 'supervisor'],
  'trigger GET /v1/rescreen-jobs': ['admin', 'supervisor'],
  'trigger GET /v1/rescreen-jobs/{id}': ['admin', 'supervisor'],
  'trigger GET /v1/subscriptions': ['implementer', 'system', 'supervisor', 'admin'],
  'trigger PUT /v1/subscriptions/{measureCode}': ['implementer', 'system'],
  'trigger DELETE /v1/subscriptions/{measureCode}': ['implementer', 'system'],
  'trigger GET /v1/assignments': ['initiator', 'supervisor', 'subject'],
  // enforcement
  'enforcement POST /v1/checks': ['implementer', 'system'],
  'enforcement POST /v1/checks/batch': ['implementer', 'system'],
  'enforcement POST /v1/checks/{id}/decisions': ['implementer', 'system'],
  'enforcement GET /v1/check-log': ['supervisor', 'admin'],
  'enforcement GET /v1/access-log': ['supervisor', 'admin'],
  'enforcement GET /v1/me/access-log': ['subject'],
  'enforcement GET /v1/check-log/summary': ['supervisor', 'admin'],
  'enforcement GET /v1/inbox': ['implementer', 'system'],
  'enforcement POST /v1/assignments/ack': ['implementer', 'system'],
  'enforcement POST /v1/assignments/{id}/ack': ['implementer', 'system'],
  'enforcement POST /v1/assignments/{id}/feedback': ['implementer', 'system'],
  'enforcement POST /v1/assignments/{id}/lift-confirmation': ['implementer', 'system'],
  'enforcement GET /v1/deliveries': ['implementer', 'system', 'supervisor'],
  'enforcement POST /v1/deliveries/{id}/replay': ['implementer', 'system'],
  'enforcement POST /v1/webhook-secret': ['system', 'admin'],
  'enforcement GET /v1/webhook-host-allow-list': ['admin', 'supervisor'],
  'enforcement POST /v1/webhook-host-allow-list': ['admin'],
  'enforcement DELETE /v1/webhook-host-allow-list/{host}': ['admin'],
  'enforcement GET /v1/stream': ['implementer', 'system'],
  'enforcement GET /v1/watch-list': ['implementer', 'system'],
  'enforcement GET /v1/watch-list/notifications': ['implementer', 'system'],
  'enforcement PUT /v1/watch-list/{subjectId}': ['implementer', 'system'],
  'enforcement DELETE /v1/watch-list/{subjectId}': ['implementer', 'system'],
  'enforcement PUT /v1/watch-list/grants/{dept}/{subjectId}': ['admin'],
  // tracking
  'tracking GET /v1/list-entries/{id}/trail': ['supervisor', 'initiator'],
  'tracking GET /v1/list-entries/{id}/trail/verify': ['supervisor'],
  'tracking GET /v1/stats/departments': ['supervisor'],
  'tracking GET /v1/stats/origins': ['supervisor'],
  'tracking GET /v1/stats/list-types': ['supervisor'],
  'tracking GET /v1/stats/memoranda': ['supervisor'],
  'tracking GET /v1/stats/daily': ['supervisor'],
  'tracking GET /v1/overdue': ['supervisor'],
  'tracking GET /v1/overdue/counts': ['supervisor'],
  'tracking GET /v1/reconciliation': ['supervisor'],
  'tracking POST /v1/reconciliation/runs': ['supervisor'],
  'tracking GET /v1/reports/departments': ['supervisor'],
  'tracking GET /v1/reports/overdue': ['supervisor'],
  'tracking GET /v1/reports/assessment': ['supervisor', 'implementer', 'system', 'initiator'],
  'tracking GET /v1/stats/due-process': ['supervisor'],
  'tracking GET /v1/overdue/repairs': ['supervisor'],
  // 典型案例 (decision 0036): nominated by initiating and implementing departments, screened by the credit office
  'tracking POST /v1/cases': ['initiator', 'implementer'],
  'tracking GET /v1/cases': ['initiator', 'implementer', 'supervisor', 'admin'],
  'tracking GET /v1/cases/{id}': ['initiator', 'implementer', 'supervisor', 'admin'],
  'tracking POST /v1/cases/{id}/screening': ['supervisor', 'admin'],
  'tracking POST /v1/cases/{id}/accept': ['supervisor', 'admin'],
  'tracking POST /v1/cases/{id}/reject': ['supervisor', 'admin'],
  'tracking POST /v1/cases/{id}/publication': ['supervisor', 'admin'],
  'tracking POST /v1/cases/{id}/withdrawal': ['supervisor', 'admin'],
  'tracking GET /v1/reports/cases': ['supervisor', 'admin'],
  'tracking GET /public/v1/cases': NO_TOKEN,
};

/** A subject identifier used in paths: the matrix's department may watch it (an admin granted it). */
const PATH_SUBJECT = '91330106MA2H7QK4XQ';
const PARAMS: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000000',
  code: 'NO_SUCH_CODE',
  measureCode: 'NO_SUCH_MEASURE',
  subjectId: PATH_SUBJECT,
  identifier: PATH_SUBJECT,
  dept: 'CREDIT_OFFICE',
};

/** A subject's own token: its identifier as `sub`, no department (API.md "The listed subject as a party"). */
const subjectTokenOf = (identifier: string) =>
  mintToken({ sub: identifier, dept: '', roles: ['subject'] }, TEST_JWT_SECRET);

/** The media type a route's body is sent in: JSON, except the bulk import's CSV. */
const mediaType = (url: string) =>
  url.includes('/v1/list-entries/imports') ? 'text/csv' : 'application/json';

/** Status and stable code of a call; the body is not awaited when it is a stream (the SSE route). */
async function call(method: string, url: string, token?: string) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(['POST', 'PUT'].includes(method) ? { 'content-type': mediaType(url) } : {}),
    },
    body: ['POST', 'PUT'].includes(method) ? '{}' : undefined,
  });
  let code: string | undefined;
  if (response.headers.get('content-type')?.includes('json')) {
    const text = await response.text();
    code = text ? (JSON.parse(text) as { code?: string }).code : undefined;
  } else {
    await response.body?.cancel();
  }
  return { status: response.status, code };
}

describe('route access', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // a small watch-list cap, to reach it
    platform = await startPlatform({ watchListMaxPerDepartment: 3 });
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('route access: route × role × department', () => {
    const documented: { key: string; service: ServiceName; method: string; path: string }[] = [];

    beforeAll(async () => {
      for (const service of Object.keys(platform.url) as ServiceName[]) {
        const doc = (await api<OpenApi>('GET', `${platform.url[service]}/docs-json`)).body;
        for (const [path, methods] of Object.entries(doc.paths))
          for (const method of Object.keys(methods))
            documented.push({ key: `${service} ${method.toUpperCase()} ${path}`, service, method, path });
      }
    });

    it('has one row per documented route, and no row without a route', () => {
      const keys = documented.map((d) => d.key).sort();
      expect({ routesWithoutRow: keys.filter((k) => !(k in ROUTES)) }).toEqual({ routesWithoutRow: [] });
      expect({ rowsWithoutRoute: Object.keys(ROUTES).filter((k) => !keys.includes(k)) }).toEqual({
        rowsWithoutRoute: [],
      });
      expect(keys.length).toBeGreaterThan(60);
    });

    it('refuses every documented operation without a bearer token (401), and serves the public ones', async () => {
      for (const { key, service, method, path } of documented) {
        const concrete = path.replace(/\{([^}]+)\}/g, (_m, name: string) => PARAMS[name] ?? 'x');
        const res = await call(method.toUpperCase(), `${platform.url[service]}${concrete}`);
        if (ROUTES[key] === NO_TOKEN) {
          expect({ key, status: res.status }).toEqual({ key, status: 200 });
          continue;
        }
        expect({ key, status: res.status, code: res.code }).toEqual({
          key,
          status: 401,
          code: 'AUTH.TOKEN_MISSING',
        });
      }
    });

    it('lets every role its row names through, and refuses every other role with 403', async () => {
      const admin = await platform.token('CREDIT_OFFICE', ['admin']);
      // the implementer and system of the matrix may watch the subject of the watch-list paths
      const granted = await api(
        'PUT',
        `${platform.url.enforcement}/v1/watch-list/grants/CREDIT_OFFICE/${PATH_SUBJECT}`,
        { token: admin, body: {} },
      );
      expect(granted.status).toBe(200);
      const tokens = {} as Record<Role, string>;
      for (const role of ALL)
        tokens[role] =
          role === 'subject'
            ? await subjectTokenOf(uscc('MATR1XEB'))
            : await platform.token('CREDIT_OFFICE', [role]);
      const outcomes: { key: string; role: Role; status: number; code?: string }[] = [];
      for (const { key, service, method, path } of documented) {
        const concrete = path.replace(/\{([^}]+)\}/g, (_m, name: string) => PARAMS[name] ?? 'x');
        for (const role of ALL) {
          const res = await call(method.toUpperCase(), `${platform.url[service]}${concrete}`, tokens[role]);
          outcomes.push({ key, role, ...res });
        }
      }
      const wrong = outcomes.filter(({ key, role, status, code }) => {
        const row = ROUTES[key];
        // the matrix's department is no external platform: its allowed roles meet that refusal instead;
        // a subject or counter clerk that is no party to the entry meets SUBJECT.NOT_A_PARTY
        const refusal =
          row && typeof row === 'object' && !Array.isArray(row)
            ? row.otherDepartments
            : 'SUBJECT.NOT_A_PARTY';
        return rolesOf(row).includes(role)
          ? status === 401 || (status === 403 && code !== refusal)
          : status !== 403 || code !== 'AUTH.ROLE_FORBIDDEN';
      });
      expect(wrong).toEqual([]);
      expect(outcomes.length).toBe(documented.length * ALL.length);
    });
  });

  /**
   * The information classes and the region rule on real data: three list types of the court, one per class,
   * each with one published entry; measures of the finance bureau and the police on all three, and one of
   * the court itself. Readers: the owner, an implementing department, another department, supervisors of
   * the whole city, of the owner's region and of another region, the subject itself and another subject.
   */
  describe('route access: information classes and regions', () => {
    const url = () => platform.url;
    const t = {} as Record<
      | 'admin'
      | 'court'
      | 'courtImpl'
      | 'finance'
      | 'financeInit'
      | 'police'
      | 'samr'
      | 'samrInit'
      | 'sup'
      | 'supHere'
      | 'supThere',
      string
    >;
    const subject: Record<'A' | 'B' | 'C', string> = {
      A: uscc('CLA55A01'),
      B: uscc('CLA55B01'),
      C: uscc('CLA55C01'),
    };
    const entry = {} as Record<'A' | 'B' | 'C', string>;
    const subjectToken = {} as Record<'A' | 'B' | 'C' | 'other', string>;

    const region = (sub: string, roles: Role[], claim?: string) =>
      mintToken({ sub, dept: 'CREDIT_OFFICE', roles, ...(claim ? { region: claim } : {}) }, TEST_JWT_SECRET);

    beforeAll(async () => {
      t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
      // registered first, in the owner's region, before any token of theirs is minted
      for (const code of ['COURT', 'FINANCE', 'POLICE', 'SAMR']) {
        const res = await api('POST', `${url().registry}/v1/departments`, {
          token: t.admin,
          body: { code, name: code, region: '330100' },
        });
        expect(res.status).toBe(201);
      }
      t.court = await platform.token('COURT', ['initiator']);
      t.courtImpl = await platform.token('COURT', ['implementer']);
      t.finance = await platform.token('FINANCE', ['system']);
      t.financeInit = await platform.token('FINANCE', ['initiator']);
      t.police = await platform.token('POLICE', ['system']);
      t.samr = await platform.token('SAMR', ['implementer']);
      t.samrInit = await platform.token('SAMR', ['initiator']);
      t.sup = await region('city', ['supervisor']);
      t.supHere = await region('hangzhou', ['supervisor'], '330100');
      t.supThere = await region('ningbo', ['supervisor'], '330200');
      for (const c of ['A', 'B', 'C'] as const) subjectToken[c] = await subjectTokenOf(subject[c]);
      subjectToken.other = await subjectTokenOf(uscc('ANTHER01'));

      for (const c of ['A', 'B', 'C'] as const) {
        const res = await api('POST', `${url().registry}/v1/list-types`, {
          token: t.admin,
          body: {
            code: `LT_${c}`,
            name: `class ${c}`,
            colour: 'black',
            ownerDept: 'COURT',
            legalBasis: 'b',
            infoClass: c,
            severity: 'serious',
            defaultPeriodDays: 730,
            subjectKinds: ['legal_person'],
            noticeWorkingDays: 0,
            // published at once: a serious black list needs the reason it gives no statement period
            minStatementWorkingDays: 0,
            minStatementReason: 'test: published at once',
            suspendOnObjection: false,
          },
        });
        expect(res.status).toBe(201);
      }
      const measure = (code: string, dept: string, mode: string, actions: string[]) => ({
        code,
        text: code,
        kind: 'punishment',
        dept,
        legalBasis: '《中华人民共和国民事诉讼法》第二百六十六条',
        subjectKinds: ['legal_person'],
        actions,
        mode,
        feedbackWorkingDays: 5,
      });
      const memorandum = await api('POST', `${url().trigger}/v1/memoranda`, {
        token: t.admin,
        body: {
          code: 'MOU-ACCESS',
          title: 't',
          documentNo: 'd',
          listTypes: ['LT_A', 'LT_B', 'LT_C'],
          measures: [
            measure('FIN-BID', 'FINANCE', 'block', ['government_procurement_bid']),
            measure('POL-EXIT', 'POLICE', 'block', ['exit_entry']),
            measure('POL-BID', 'POLICE', 'warn', ['government_procurement_bid']),
            measure('COURT-OWN', 'COURT', 'warn', ['high_consumption']),
          ],
        },
      });
      expect(memorandum.status).toBe(201);

      // the court's and the finance bureau's systems follow the class-A and class-C subjects
      for (const [dept, s] of [
        ['FINANCE', subject.A],
        ['FINANCE', subject.C],
        ['COURT', subject.C],
      ] as const) {
        await api('PUT', `${url().enforcement}/v1/watch-list/grants/${dept}/${s}`, {
          token: t.admin,
          body: {},
        });
        const watched = await api('PUT', `${url().enforcement}/v1/watch-list/${s}`, {
          token: dept === 'COURT' ? t.courtImpl : t.finance,
          body: {},
        });
        expect(watched.status).toBe(200);
      }

      for (const c of ['A', 'B', 'C'] as const) {
        const created = await api<{ id: string }>('POST', `${url().registry}/v1/list-entries`, {
          token: t.court,
          body: {
            listType: `LT_${c}`,
            subject: { kind: 'legal_person', id: subject[c], name: `企业${c}` },
            decision: DECISION,
          },
        });
        expect(created.status).toBe(201);
        entry[c] = created.body.id;
        for (const step of ['notice', 'publish']) {
          const res = await api('POST', `${url().registry}/v1/list-entries/${entry[c]}/${step}`, {
            token: t.court,
          });
          expect(res.status).toBe(200);
        }
      }
      // the registry knows who implements a measure on LT_B (trigger's announcement, decision 0023)
      await waitFor(
        async () =>
          (await api('GET', `${url().registry}/v1/list-entries/${entry.B}`, { token: t.financeInit }))
            .status === 200,
        { message: 'the registry learns the implementers of LT_B' },
      );
      // fanned out: the court's own measure reaches every class, so its assignment marks each fan-out done
      for (const c of ['A', 'B', 'C'] as const)
        await waitFor(
          async () => {
            const res = await api<{ items: { dept: string }[] }>(
              'GET',
              `${url().trigger}/v1/assignments?entryId=${entry[c]}`,
              { token: t.court },
            );
            return res.body.items?.some((a) => a.dept === 'COURT') ? true : undefined;
          },
          { message: `entry ${c} fanned out` },
        );
    });

    const status = async (service: ServiceName, path: string, token: string) =>
      (await api('GET', `${url()[service]}${path}`, { token })).status;

    it.each([
      // reader, A, B, C: GET /v1/list-entries/{id}
      ['owner (court initiator)', 'court', 200, 200, 200],
      // B: the departments implementing a measure on the list type, as trigger announces them (decision 0023)
      ['implementing department (finance initiator)', 'financeInit', 200, 200, 404],
      ['implementing department (finance system)', 'finance', 200, 200, 404],
      ['other department (SAMR initiator)', 'samrInit', 200, 404, 404],
      ['supervisor of the city', 'sup', 200, 200, 200],
      ["supervisor of the owner's region", 'supHere', 200, 200, 200],
      ['supervisor of another region', 'supThere', 200, 404, 404],
    ] as const)('entries: %s (%s) reads A %i, B %i, C %i', async (_who, reader, a, b, c) => {
      const token = t[reader];
      expect([
        await status('registry', `/v1/list-entries/${entry.A}`, token),
        await status('registry', `/v1/list-entries/${entry.B}`, token),
        await status('registry', `/v1/list-entries/${entry.C}`, token),
      ]).toEqual([a, b, c]);
    });

    it('entries and subject look-ups: the subject reads its own entries of every class, and nobody else’s', async () => {
      for (const c of ['A', 'B', 'C'] as const) {
        expect(await status('registry', `/v1/list-entries/${entry[c]}`, subjectToken[c])).toBe(200);
        expect(await status('registry', `/v1/subjects/${subject[c]}`, subjectToken[c])).toBe(200);
        expect(await status('registry', `/v1/list-entries/${entry[c]}/amendments`, subjectToken[c])).toBe(
          200,
        );
        expect(await status('registry', `/v1/subjects/${subject[c]}`, subjectToken.other)).toBe(404);
      }
      expect(await status('registry', `/v1/list-entries/${entry.A}`, subjectToken.other)).toBe(404);
    });

    it('subject look-up answers 404, as if unknown, unless the caller may see an entry of the subject', async () => {
      const unknown = await api<{ code: string }>(
        'GET',
        `${url().registry}/v1/subjects/${uscc('NEWER0N1')}`,
        {
          token: t.samrInit,
        },
      );
      const hidden = await api<{ code: string }>('GET', `${url().registry}/v1/subjects/${subject.C}`, {
        token: t.samrInit,
      });
      expect(hidden).toMatchObject({ status: unknown.status, body: { code: unknown.body.code } });
      expect(hidden.status).toBe(404);
      expect(await status('registry', `/v1/subjects/${subject.A}`, t.samrInit)).toBe(200);
      expect(await status('registry', `/v1/subjects/${subject.B}`, t.supThere)).toBe(404);
      expect(await status('registry', `/v1/subjects/${subject.B}`, t.supHere)).toBe(200);
      expect(await status('registry', `/v1/subjects/${subject.C}`, t.court)).toBe(200);
    });

    it('subject look-up is open to implementers and systems, answering as if unknown where they may see no entry', async () => {
      const unknown = await api<{ code: string }>(
        'GET',
        `${url().registry}/v1/subjects/${uscc('NEWER0N2')}`,
        {
          token: t.samr,
        },
      );
      expect(unknown).toMatchObject({ status: 404, body: { code: 'SUBJECT.NOT_FOUND' } });
      // SAMR implements nothing on these list types: class A only
      expect(await status('registry', `/v1/subjects/${subject.A}`, t.samr)).toBe(200);
      const hidden = await api<{ code: string }>('GET', `${url().registry}/v1/subjects/${subject.B}`, {
        token: t.samr,
      });
      expect(hidden).toMatchObject({ status: 404, body: { code: 'SUBJECT.NOT_FOUND' } });
      // the finance bureau's system implements FIN-BID on LT_B: it reads the class-B subject, never class C
      expect(await status('registry', `/v1/subjects/${subject.B}`, t.finance)).toBe(200);
      expect(await status('registry', `/v1/subjects/${subject.C}`, t.finance)).toBe(404);
      expect(await status('registry', `/v1/subjects/${subject.C}`, t.police)).toBe(404);
      // the owner's implementer reads its own class-C subject
      expect(await status('registry', `/v1/subjects/${subject.C}`, t.courtImpl)).toBe(200);
    });

    it('class B: the registry learns the implementing departments from trigger’s catalogue', async () => {
      const tax = await platform.token('TAX', ['implementer']);
      const readsB = async () =>
        (await api('GET', `${url().registry}/v1/subjects/${subject.B}`, { token: tax })).status;
      expect(await readsB()).toBe(404);
      // the tax bureau joins the memorandum with a measure on LT_B (on individuals: nothing is issued here)
      const added = await api('POST', `${url().trigger}/v1/memoranda/MOU-ACCESS/measures`, {
        token: t.admin,
        body: {
          code: 'TAX-INV',
          text: 'TAX-INV',
          kind: 'punishment',
          dept: 'TAX',
          legalBasis: 'b',
          subjectKinds: ['individual'],
          actions: ['government_procurement_bid'],
          mode: 'warn',
          feedbackWorkingDays: 5,
        },
      });
      expect(added.status).toBe(201);
      await waitFor(async () => ((await readsB()) === 200 ? true : undefined), {
        message: 'the tax bureau reads the class-B subject once it implements a measure on LT_B',
        timeoutMs: 30_000,
      });
      expect(await status('registry', `/v1/list-entries/${entry.B}`, tax)).toBe(200);
      expect(await status('registry', `/v1/list-entries/${entry.C}`, tax)).toBe(404);
      // retired: it reads the class-B entry no more
      const retired = await api('POST', `${url().trigger}/v1/measures/TAX-INV/retire`, {
        token: t.admin,
        body: { reason: 'withdrawn' },
      });
      expect(retired.status).toBe(200);
      await waitFor(async () => ((await readsB()) === 404 ? true : undefined), {
        message: 'the tax bureau no longer reads the class-B subject',
        timeoutMs: 30_000,
      });
    });

    it('class C: no other department is issued a measure; the inbox holds only what a department may read', async () => {
      const inbox = async (token: string) =>
        (
          await api<{ items: { entryId: string; dept: string }[] }>(
            'GET',
            `${url().enforcement}/v1/inbox?limit=500`,
            { token },
          )
        ).body.items;
      const finance = await waitFor(
        async () => {
          const items = await inbox(t.finance);
          return items.some((i) => i.entryId === entry.B) && items.some((i) => i.entryId === entry.A)
            ? items
            : undefined;
        },
        { message: 'finance assignments on A and B' },
      );
      expect(finance.filter((i) => i.entryId === entry.C)).toEqual([]);
      expect((await inbox(t.courtImpl)).some((i) => i.entryId === entry.C)).toBe(true);
      const assignments = await api<{ items: { dept: string; measureCode: string }[] }>(
        'GET',
        `${url().trigger}/v1/assignments?entryId=${entry.C}`,
        { token: t.sup },
      );
      expect(assignments.body.items.map((a) => `${a.dept} ${a.measureCode}`)).toEqual(['COURT COURT-OWN']);
    });

    it('assignments: the owner, supervisors of its region and the subject read an entry’s; others their own at most', async () => {
      const depts = async (c: 'A' | 'B' | 'C', token: string) => {
        const res = await api<{ items?: { dept: string }[] }>(
          'GET',
          `${url().trigger}/v1/assignments?entryId=${entry[c]}`,
          { token },
        );
        return res.status === 200 ? [...new Set(res.body.items!.map((a) => a.dept))].sort() : res.status;
      };
      expect(await depts('B', t.court)).toEqual(['COURT', 'FINANCE', 'POLICE']);
      expect(await depts('B', t.supHere)).toEqual(['COURT', 'FINANCE', 'POLICE']);
      expect(await depts('B', subjectToken.B)).toEqual(['COURT', 'FINANCE', 'POLICE']);
      expect(await depts('B', t.supThere)).toBe(404);
      expect(await depts('B', t.samrInit)).toBe(404);
      expect(await depts('C', t.financeInit)).toBe(404);
      expect(await depts('A', t.financeInit)).toEqual(['FINANCE']); // class A: its own department's only
    });

    it("checks answer from the caller's own department's measures only; the hit names only them", async () => {
      const check = (token: string, s: string, action: string) =>
        api<{ decision: string; reasons: { dept: string; measureCode: string }[] }>(
          'POST',
          `${url().enforcement}/v1/checks`,
          { token, body: { subject: { id: s }, action } },
        );
      await waitFor(
        async () =>
          (await check(t.police, subject.B, 'exit_entry')).body.decision === 'block' ? true : undefined,
        {
          message: 'the police exit ban in force',
        },
      );
      // the finance bureau learns nothing of the police's exit ban
      const financeExit = await check(t.finance, subject.B, 'exit_entry');
      expect(financeExit.body).toMatchObject({ decision: 'allow', reasons: [] });
      const financeBid = await check(t.finance, subject.B, 'government_procurement_bid');
      expect(financeBid.body.decision).toBe('block');
      expect(financeBid.body.reasons.map((r) => `${r.dept} ${r.measureCode}`)).toEqual(['FINANCE FIN-BID']);
      const policeBid = await check(t.police, subject.B, 'government_procurement_bid');
      expect(policeBid.body).toMatchObject({
        decision: 'warn',
        reasons: [{ dept: 'POLICE', measureCode: 'POL-BID' }],
      });
      // class C: the police has no measure on it at all
      expect((await check(t.police, subject.C, 'exit_entry')).body).toMatchObject({
        decision: 'allow',
        reasons: [],
      });
      // the batch answers the same way
      const batch = await api<{ items: { decision: string; reasons: unknown[] }[] }>(
        'POST',
        `${url().enforcement}/v1/checks/batch`,
        {
          token: t.finance,
          body: { subjects: [{ id: subject.B }, { id: subject.A }], action: 'exit_entry' },
        },
      );
      expect(batch.body.items.map((i) => [i.decision, i.reasons.length])).toEqual([
        ['allow', 0],
        ['allow', 0],
      ]);

      // the hit event (enforcement feedback of the finance bureau) names only its own assignment
      type TrailItem = { type: string; data: { dept: string; assignments: { dept: string }[] } };
      const hits = await waitFor(
        async () => {
          const trail = await api<{ items: TrailItem[] }>(
            'GET',
            `${url().tracking}/v1/list-entries/${entry.B}/trail`,
            {
              token: t.sup,
            },
          );
          const found = (trail.body.items ?? []).filter(
            (i) => i.type === 'credit.check.hit.v1' && i.data.dept === 'FINANCE',
          );
          return found.length > 0 ? found : undefined;
        },
        { message: 'the finance hit in the trail' },
      );
      for (const hit of hits) expect(hit.data.assignments.map((a) => a.dept)).toEqual(['FINANCE']);

      // the check log keeps what the department was told
      const log = await waitFor(
        async () => {
          const res = await api<{
            items: { dept: string; action: string; decision: string; reasons: number }[];
          }>('GET', `${url().enforcement}/v1/check-log?dept=FINANCE&action=exit_entry`, { token: t.sup });
          return res.body.items?.length ? res.body.items : undefined;
        },
        { message: 'finance checks logged' },
      );
      expect(log.every((l) => l.decision === 'allow' && l.reasons === 0)).toBe(true); // reasons: their count
    });

    it('region rule: a supervisor of a region sees its region only; the city’s sees all', async () => {
      const checkLog = async (token: string) =>
        (
          await api<{ items: { dept: string }[] }>('GET', `${url().enforcement}/v1/check-log?dept=FINANCE`, {
            token,
          })
        ).body.items;
      await waitFor(async () => ((await checkLog(t.supHere)).length > 0 ? true : undefined), {
        message: 'the region supervisor sees its checks',
      });
      expect((await checkLog(t.sup)).length).toBeGreaterThan(0);
      expect(await checkLog(t.supThere)).toEqual([]);

      // trails
      expect(await status('tracking', `/v1/list-entries/${entry.B}/trail`, t.supHere)).toBe(200);
      expect(await status('tracking', `/v1/list-entries/${entry.B}/trail`, t.supThere)).toBe(404);
      expect(await status('tracking', `/v1/list-entries/${entry.B}/trail/verify`, t.supThere)).toBe(404);
      expect(await status('tracking', `/v1/list-entries/${entry.B}/trail`, t.court)).toBe(200);
      expect(await status('tracking', `/v1/list-entries/${entry.B}/trail`, t.financeInit)).toBe(404);

      // statistics, overdue and reports
      type Stats = { items: { dept: string }[] };
      const stats = async (token: string, query = '') =>
        api<Stats & { code?: string }>('GET', `${url().tracking}/v1/stats/departments${query}`, { token });
      await waitFor(
        async () =>
          (await stats(t.supHere)).body.items.some((i) => i.dept === 'FINANCE') ? true : undefined,
        { message: 'stats of the region' },
      );
      expect((await stats(t.sup)).body.items.some((i) => i.dept === 'FINANCE')).toBe(true);
      expect((await stats(t.supThere)).body.items).toEqual([]);
      expect((await stats(t.supThere, '?region=330100')).body).toMatchObject({
        code: 'ACCESS.OUTSIDE_REGION',
      });
      expect((await stats(t.supThere, '?region=330100')).status).toBe(403);
      const report = await fetch(`${url().tracking}/v1/reports/departments?format=csv`, {
        headers: { authorization: `Bearer ${t.supThere}` },
      });
      expect(await report.text()).not.toContain('FINANCE');
      const overdue = await api<{ items: unknown[] }>('GET', `${url().tracking}/v1/overdue`, {
        token: t.supThere,
      });
      expect(overdue).toMatchObject({ status: 200, body: { items: [] } });
      const assessment = await api<{ code: string }>(
        'GET',
        `${url().tracking}/v1/reports/assessment?dept=FINANCE`,
        { token: t.supThere },
      );
      expect(assessment).toMatchObject({ status: 403, body: { code: 'ACCESS.OUTSIDE_REGION' } });
      const ours = ['COURT', 'FINANCE', 'POLICE', 'SAMR'];
      const gaps = await api<{ items: { dept: string | null; entryId: string }[] }>(
        'GET',
        `${url().tracking}/v1/reconciliation?status=all`,
        { token: t.supThere },
      );
      expect(gaps.status).toBe(200);
      expect(
        gaps.body.items.filter(
          (g) => ours.includes(g.dept ?? '') || Object.values(entry).includes(g.entryId),
        ),
      ).toEqual([]);
      const deliveries = await api<{ items: unknown[] }>('GET', `${url().enforcement}/v1/deliveries`, {
        token: t.supThere,
      });
      expect(deliveries).toMatchObject({ status: 200, body: { items: [] } });
    });

    it('watch lists: notifications follow the class; a reason to follow and a cap per department', async () => {
      type Notification = { entryId: string };
      const notifications = async (token: string) =>
        (
          await api<{ items: Notification[] }>('GET', `${url().enforcement}/v1/watch-list/notifications`, {
            token,
          })
        ).body.items;
      // the court (owner) hears of its class-C entry; the finance bureau of the class-A one only
      await waitFor(
        async () =>
          (await notifications(t.courtImpl)).some((n) => n.entryId === entry.C) ? true : undefined,
        {
          message: 'the court told of its class-C entry',
        },
      );
      const finance = await waitFor(
        async () => {
          const items = await notifications(t.finance);
          return items.some((n) => n.entryId === entry.A) ? items : undefined;
        },
        { message: 'finance told of the class-A entry' },
      );
      expect(finance.filter((n) => n.entryId === entry.C)).toEqual([]);

      // SAMR implements no measure: no reason to follow anyone
      const refused = await api<{ code: string }>(
        'PUT',
        `${url().enforcement}/v1/watch-list/${uscc('NEWWATC1')}`,
        {
          token: t.samr,
          body: {},
        },
      );
      expect(refused).toMatchObject({ status: 403, body: { code: 'WATCH_LIST.NO_REASON' } });
      // the finance bureau implements measures on legal persons: it may watch one, up to its cap (3)
      expect(
        (
          await api('PUT', `${url().enforcement}/v1/watch-list/${uscc('NEWWATC2')}`, {
            token: t.finance,
            body: {},
          })
        ).status,
      ).toBe(200);
      const full = await api<{ code: string }>(
        'PUT',
        `${url().enforcement}/v1/watch-list/${uscc('NEWWATC3')}`,
        {
          token: t.finance,
          body: {},
        },
      );
      expect(full).toMatchObject({ status: 422, body: { code: 'WATCH_LIST.FULL' } });
      // watching again what it already watches is not a new subject
      expect(
        (await api('PUT', `${url().enforcement}/v1/watch-list/${subject.A}`, { token: t.finance, body: {} }))
          .status,
      ).toBe(200);
      // the cap is exact under concurrency: one place left (2 of 3), many requests at once, one gets it
      expect(
        (await api('DELETE', `${url().enforcement}/v1/watch-list/${uscc('NEWWATC2')}`, { token: t.finance }))
          .status,
      ).toBe(204);
      // the inserts are held back (a lock that lets reads through) until every connection of enforcement's
      // pool waits: without the department's lock, each of them would have counted 2 and passed
      const holder = new Client({ connectionString: platform.databaseUrl });
      await holder.connect();
      let racing: ApiResponse<{ code?: string }>[];
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE enforcement.watch_list IN SHARE ROW EXCLUSIVE MODE');
        const requests = Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            api<{ code?: string }>(
              'PUT',
              `${url().enforcement}/v1/watch-list/${uscc(`RACE${i}`.padEnd(8, '0'))}`,
              {
                token: t.finance,
                body: {},
              },
            ),
          ),
        );
        await waitFor(
          async () => {
            const { rows } = await holder.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            return rows[0].n >= 4; // DATABASE_POOL_SIZE of the test platform
          },
          { message: "enforcement's connections waiting" },
        );
        await holder.query('COMMIT');
        racing = await requests;
      } finally {
        await holder.end();
      }
      expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
      expect(racing.filter((r) => r.status !== 200).every((r) => r.body.code === 'WATCH_LIST.FULL')).toBe(
        true,
      );
      const list = await api<{ items: unknown[] }>('GET', `${url().enforcement}/v1/watch-list`, {
        token: t.finance,
      });
      expect(list.body.items).toHaveLength(3);
    });
  });
});
