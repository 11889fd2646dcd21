import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

/**
 * The walking skeleton (issue 2) over real PostgreSQL, Redis and Kafka: an entry is published, fans out
 * to three implementing departments, each acknowledges, and the trail shows it all in order.
 */
describe('walking skeleton: publish → fan-out → inbox → acknowledge → trail', () => {
  let platform: TestPlatform;
  let tokens: Record<
    'admin' | 'court' | 'otherInitiator' | 'supervisor' | 'finance' | 'ndrc' | 'samr',
    string
  >;
  const IMPLEMENTERS = ['FINANCE', 'NDRC', 'SAMR'] as const;
  const SUBJECT = { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' };
  let entryId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    tokens = {
      admin: await platform.token('CREDIT_OFFICE', ['admin']),
      court: await platform.token('COURT', ['initiator']),
      otherInitiator: await platform.token('TAX', ['initiator']),
      supervisor: await platform.token('CREDIT_OFFICE', ['supervisor']),
      finance: await platform.token('FINANCE', ['implementer']),
      ndrc: await platform.token('NDRC', ['implementer']),
      samr: await platform.token('SAMR', ['system']),
    };
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('serves health, metrics and OpenAPI on every service without a token', async () => {
    for (const url of Object.values(platform.url)) {
      expect((await api('GET', `${url}/health/live`)).status).toBe(200);
      const ready = await api<{ status: string; checks: Record<string, { status: string }> }>(
        'GET',
        `${url}/health/ready`,
      );
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(Object.values(ready.body.checks).every((c) => c.status === 'up')).toBe(true);
      const docs = await api<{ openapi: string; paths: Record<string, unknown> }>('GET', `${url}/docs-json`);
      expect(docs.body.openapi).toMatch(/^3\./);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('http_request_duration_seconds');
    }
    const enforcementReady = await api<{ checks: Record<string, unknown> }>(
      'GET',
      `${platform.url.enforcement}/health/ready`,
    );
    expect(Object.keys(enforcementReady.body.checks).sort()).toEqual([
      'enforcement.database',
      'enforcement.redis',
      'kafka',
    ]);
  });

  it('lets an admin register departments and a black list type', async () => {
    for (const [code, name] of [
      ['COURT', '杭州市中级人民法院'],
      ['FINANCE', '杭州市财政局'],
      ['NDRC', '杭州市发展和改革委员会'],
      ['SAMR', '杭州市市场监督管理局'],
      ['TAX', '国家税务总局杭州市税务局'],
    ]) {
      const res = await api('POST', `${platform.url.registry}/v1/departments`, {
        token: tokens.admin,
        body: { code, name, region: '330100' },
      });
      expect(res.status).toBe(201);
    }
    const listType = await api('POST', `${platform.url.registry}/v1/list-types`, {
      token: tokens.admin,
      body: {
        code: 'COURT_DEFAULTER',
        name: '失信被执行人名单',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
        infoClass: 'A',
        severity: 'serious',
        defaultPeriodDays: 730,
        subjectKinds: ['legal_person', 'individual'],
        noticeWorkingDays: 0,
        // published at once: a serious black list needs the reason it gives no statement period
        minStatementWorkingDays: 0,
        minStatementReason: 'test: published at once',
        suspendOnObjection: true,
      },
    });
    expect(listType.status).toBe(201);
    expect(listType.body).toMatchObject({ code: 'COURT_DEFAULTER', ownerDept: 'COURT', colour: 'black' });
  });

  it('lets an admin post a memorandum with measures for three implementing departments', async () => {
    const measure = (code: string, dept: string, action: string, mode: string) => ({
      code,
      text: `${code} measure`,
      kind: 'punishment',
      dept,
      legalBasis: '《中华人民共和国政府采购法》第二十二条；发改财金〔2016〕141号',
      subjectKinds: ['legal_person'],
      actions: [action],
      mode,
      feedbackWorkingDays: 5,
    });
    const res = await api<{ measures: unknown[] }>('POST', `${platform.url.trigger}/v1/memoranda`, {
      token: tokens.admin,
      body: {
        code: 'MOU-2016-141',
        title: '关于对失信被执行人实施联合惩戒的合作备忘录',
        documentNo: '发改财金〔2016〕141号',
        listTypes: ['COURT_DEFAULTER'],
        measures: [
          measure('PROCUREMENT_BAN', 'FINANCE', 'government_procurement_bid', 'block'),
          measure('BOND_ISSUE_BAN', 'NDRC', 'enterprise_bond_issue', 'block'),
          measure('MARKET_INSPECTION', 'SAMR', 'market_supervision_inspection', 'warn'),
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.measures).toHaveLength(3);
  });

  it('refuses the API to callers without a token (401) or outside their rights (403)', async () => {
    const noToken = await api('POST', `${platform.url.registry}/v1/departments`, {
      body: { code: 'X1', name: 'x', region: '330100' },
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');
    expect(noToken.body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING' });

    const wrongRole = await api('POST', `${platform.url.trigger}/v1/memoranda`, {
      token: tokens.court,
      body: {},
    });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN' });

    const otherDept = await api('POST', `${platform.url.registry}/v1/list-entries`, {
      token: tokens.otherInitiator,
      body: {
        listType: 'COURT_DEFAULTER',
        subject: SUBJECT,
        decision: { documentNo: 'X', date: '2026-11-01', facts: 'x' },
      },
    });
    expect(otherDept.status).toBe(403);
    expect(otherDept.body).toMatchObject({ code: 'LIST_ENTRY.NOT_OWNER' });
  });

  it('rejects a malformed entry with field-level problem details', async () => {
    const res = await api<{ code: string; errors: { field: string }[] }>(
      'POST',
      `${platform.url.registry}/v1/list-entries`,
      {
        token: tokens.court,
        body: { listType: 'COURT_DEFAULTER', subject: { kind: 'company', id: '' }, decision: {} },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION.FAILED');
    const fields = res.body.errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'subject.kind',
        'subject.id',
        'subject.name',
        'decision.documentNo',
        'decision.date',
      ]),
    );
  });

  it('lets the court create, notice and publish an entry', async () => {
    const created = await api<{ id: string; status: string }>(
      'POST',
      `${platform.url.registry}/v1/list-entries`,
      {
        token: tokens.court,
        body: {
          listType: 'COURT_DEFAULTER',
          subject: SUBJECT,
          decision: { documentNo: '(2026)浙0106执1234号', date: '2026-11-01', facts: '有履行能力而拒不履行' },
        },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    entryId = created.body.id;

    const early = await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/publish`, {
      token: tokens.court,
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'LIST_ENTRY.TRANSITION_NOT_ALLOWED', currentStatus: 'draft' });

    const noticed = await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/notice`, {
      token: tokens.court,
    });
    expect(noticed.status).toBe(200);
    expect(noticed.body).toMatchObject({ status: 'noticed' });
    expect(noticed.body.statementDeadline).toEqual(expect.any(String));

    const published = await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/publish`, {
      token: tokens.court,
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', id: entryId });

    const read = await api('GET', `${platform.url.registry}/v1/list-entries/${entryId}`, {
      token: tokens.supervisor,
    });
    expect(read.body).toMatchObject({ status: 'published', subject: SUBJECT });
  });

  it('fans the entry out as one assignment per measure', async () => {
    type Page = {
      items: {
        dept: string;
        measureCode: string;
        measureVersion: number;
        status: string;
        target: { id: string };
      }[];
    };
    const page = await waitFor(
      async () => {
        const res = await api<Page>('GET', `${platform.url.trigger}/v1/assignments?entryId=${entryId}`, {
          token: tokens.court,
        });
        return res.body.items?.length === 3 ? res.body : undefined;
      },
      { message: 'three assignments issued' },
    );
    expect(page.items.map((a) => a.dept).sort()).toEqual([...IMPLEMENTERS]);
    for (const a of page.items) {
      expect(a).toMatchObject({
        entryId,
        status: 'issued',
        measureVersion: 1,
        target: { id: SUBJECT.id, kind: 'legal_person' },
      });
    }
    // a class-A entry: another department reads it, but of its assignments only its own (none here)
    const foreign = await api<Page>('GET', `${platform.url.trigger}/v1/assignments?entryId=${entryId}`, {
      token: tokens.otherInitiator,
    });
    expect(foreign).toMatchObject({ status: 200, body: { items: [] } });
  });

  it("shows each department its own assignment, which it acknowledges; others can't touch it", async () => {
    const deptTokens = { FINANCE: tokens.finance, NDRC: tokens.ndrc, SAMR: tokens.samr };
    const ids: Record<string, string> = {};
    for (const dept of IMPLEMENTERS) {
      type Inbox = {
        items: {
          id: string;
          dept: string;
          entryId: string;
          status: string;
          measure: { mode: string; legalBasis: string; actions: string[] };
          feedbackDeadline: string;
        }[];
      };
      const inbox = await waitFor(
        async () => {
          const res = await api<Inbox>('GET', `${platform.url.enforcement}/v1/inbox?status=issued`, {
            token: deptTokens[dept],
          });
          return res.body.items?.length === 1 ? res.body : undefined;
        },
        { message: `${dept} inbox has its assignment` },
      );
      const assignment = inbox.items[0];
      expect(assignment).toMatchObject({ dept, entryId, status: 'issued' });
      expect(assignment.measure.legalBasis).toBe(
        '《中华人民共和国政府采购法》第二十二条；发改财金〔2016〕141号',
      );
      expect(assignment.feedbackDeadline).toEqual(expect.any(String));
      ids[dept] = assignment.id;
    }

    const intruder = await api('POST', `${platform.url.enforcement}/v1/assignments/${ids.FINANCE}/ack`, {
      token: tokens.ndrc,
    });
    expect(intruder.status).toBe(403);
    expect(intruder.body).toMatchObject({ code: 'ASSIGNMENT.OTHER_DEPARTMENT' });

    for (const dept of IMPLEMENTERS) {
      const ack = await api('POST', `${platform.url.enforcement}/v1/assignments/${ids[dept]}/ack`, {
        token: deptTokens[dept],
      });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ id: ids[dept], status: 'acknowledged' });
    }

    // trigger follows the feedback
    await waitFor(
      async () => {
        const res = await api<{ items: { status: string }[] }>(
          'GET',
          `${platform.url.trigger}/v1/assignments?entryId=${entryId}`,
          { token: tokens.supervisor },
        );
        return res.body.items.every((a) => a.status === 'acknowledged') || undefined;
      },
      { message: 'trigger sees every assignment acknowledged' },
    );
  });

  it('shows the trail noticed → published → issued ×3 → fanned out → documents ×2 → acknowledged ×3, in order, hash-chained', async () => {
    type Trail = {
      items: {
        eventId: string;
        type: string;
        actorDept: string;
        hash: string | null;
        prevHash: string | null;
        position: number | null;
        data: { dept?: string };
      }[];
    };
    const trail = await waitFor(
      async () => {
        const res = await api<Trail>('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail`, {
          token: tokens.supervisor,
        });
        return res.status === 200 && res.body.items.length >= 11 ? res.body : undefined;
      },
      { message: 'trail has 11 records' },
    );
    expect(trail.items.every((r) => r.hash === null)).toBe(true); // not sealed yet
    // everything published so far has been read: sealing chains all of it in the canonical order
    expect(await platform.app.tracking.get(TrailSealJob).seal()).toMatchObject({ sealed: 11, late: 0 });
    const sealed = await api<Trail>('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail`, {
      token: tokens.supervisor,
    });
    expect(sealed.body.items.map((r) => r.eventId)).toEqual(trail.items.map((r) => r.eventId));
    trail.items = sealed.body.items;
    expect(trail.items.map((r) => r.type)).toEqual([
      'credit.list-entry.noticed.v1',
      'credit.list-entry.published.v1',
      'credit.assignment.issued.v1',
      'credit.assignment.issued.v1',
      'credit.assignment.issued.v1',
      'credit.assignment.fanned-out.v1',
      // 两书同达: the listing decision and the repair notice, served right after the publication
      'credit.document.issued.v1',
      'credit.document.issued.v1',
      'credit.feedback.acknowledged.v1',
      'credit.feedback.acknowledged.v1',
      'credit.feedback.acknowledged.v1',
    ]);
    expect(trail.items[0].actorDept).toBe('COURT');
    expect(trail.items[1].actorDept).toBe('COURT');
    expect(
      trail.items
        .slice(8)
        .map((r) => r.actorDept)
        .sort(),
    ).toEqual([...IMPLEMENTERS]);
    expect(trail.items.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (let i = 1; i < trail.items.length; i += 1)
      expect(trail.items[i].prevHash).toBe(trail.items[i - 1].hash);

    const courtView = await api('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail`, {
      token: tokens.court,
    });
    expect(courtView.status).toBe(200);
    const taxView = await api('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail`, {
      token: tokens.otherInitiator,
    });
    expect(taxView.status).toBe(404); // another department is told there is no such trail

    const verify = await api('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail/verify`, {
      token: tokens.supervisor,
    });
    expect(verify.body).toMatchObject({
      valid: true,
      records: 11,
      sealed: 11,
      unsealed: 0,
      firstBroken: null,
    });
  });
});
