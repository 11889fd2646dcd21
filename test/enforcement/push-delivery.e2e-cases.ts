import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Client } from 'pg';
import { DeliveryPayloadRetention } from '../../apps/enforcement/src/delivery/delivery-payload-retention';
import { verifyWebhook } from '../../apps/enforcement/src/delivery/webhook-signature';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';
import { DECISION, uscc } from '../registry/registry-fixtures';

// short retries for the test (the defaults retry for a day); read when enforcement starts
const DELIVERY_ENV: Record<string, string> = {
  DELIVERY_RETRY_BASE_MS: '100',
  DELIVERY_RETRY_MAX_MS: '400',
  DELIVERY_TIMEOUT_MS: '3000',
  DELIVERY_POLL_MS: '100',
  DELIVERY_MAX_ATTEMPTS: '5',
  DELIVERY_PER_DEPARTMENT_CONCURRENCY: '2',
  DELIVERY_PAYLOAD_RETENTION_INTERVAL_MS: '0', // the retention test runs the job itself
};

type Delivery = {
  id: string;
  dept: string;
  assignmentId: string;
  eventType: string;
  url: string;
  status: string;
  attempts: number;
  replays: number;
  lastStatusCode: number | null;
  lastErrorCode: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: unknown;
  payloadDroppedAt: string | null;
};
type Page<T> = { items: T[]; nextCursor: string | null };
type Assignment = { id: string; dept: string; status: string };
type Received = {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  event: { id: string; type: string; data: { assignmentId: string } };
  answered: number | null;
};
type SseEvent = {
  id: string;
  event: string;
  data: {
    id: string;
    type: string;
    data: { assignmentId: string; entryId: string; dept: string; subject?: { id: string } };
  };
};
const subjectOf = (e: SseEvent) => e.data.data.subject?.id ?? '';

/**
 * A department system's webhook endpoint: records every POST; each path answers as the test says
 * (a status, or never).
 */
class Receiver {
  readonly received: Received[] = [];
  readonly behaviour = new Map<string, number | 'hang'>();
  /** statuses answered first on a path, before its behaviour */
  readonly script = new Map<string, number[]>();
  private server?: Server;
  url = '';

  async start() {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = this.script.get(path)?.shift() ?? this.behaviour.get(path) ?? 200;
      this.received.push({
        path,
        headers: req.headers,
        body,
        event: JSON.parse(body),
        answered: answer === 'hang' ? null : answer,
      });
      if (answer !== 'hang') res.writeHead(answer).end();
    });
  }

  of(assignmentId: string) {
    return this.received.filter((r) => r.event.data.assignmentId === assignmentId);
  }

  async close() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Reads a server-sent-events response with fetch, as a department's client would. */
async function openStream(url: string, token: string, lastEventId?: string) {
  const abort = new AbortController();
  const response = await fetch(`${url}/v1/stream`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  const reading = (async () => {
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const fields: Record<string, string> = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
          buffer = buffer.slice(end + 2);
          if (fields.event && fields.data)
            events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

describe('enforcement: push delivery by webhook and by stream', () => {
  let platform: TestPlatform;
  const receiver = new Receiver();
  const saved: Record<string, string | undefined> = {};
  const t: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    for (const [k, v] of Object.entries(DELIVERY_ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    await receiver.start();
    platform = await startPlatform();
    for (const [name, dept, roles] of [
      ['admin', 'CREDIT_OFFICE', ['admin']],
      ['supervisor', 'CREDIT_OFFICE', ['supervisor']],
      ['court', 'COURT', ['initiator']],
      ['finance', 'FINANCE', ['implementer']],
      ['financeSystem', 'FINANCE', ['system']],
      ['ndrc', 'NDRC', ['system']],
      ['police', 'POLICE', ['implementer']],
    ] as const) {
      t[name] = await platform.token(dept, [...roles]);
    }
    for (const code of ['CREDIT_OFFICE', 'COURT', 'FINANCE', 'NDRC', 'POLICE']) {
      await api('POST', `${platform.url.registry}/v1/departments`, {
        token: t.admin,
        body: { code, name: code, region: '330100' },
      });
    }
    const listType = await api('POST', `${platform.url.registry}/v1/list-types`, {
      token: t.admin,
      body: {
        code: 'COURT_DEFAULTER',
        name: '失信被执行人',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: 'basis',
        infoClass: 'A',
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
    expect(listType.status).toBe(201);
    const measure = (code: string, dept: string, action: string) => ({
      code,
      text: `${code} 措施`,
      kind: 'punishment',
      dept,
      legalBasis: '《中华人民共和国政府采购法》第二十二条；发改财金〔2016〕141号',
      subjectKinds: ['legal_person'],
      actions: [action],
      mode: 'block',
      feedbackWorkingDays: 5,
    });
    const imported = await api('POST', `${platform.url.trigger}/v1/memoranda/import`, {
      token: t.admin,
      body: {
        memoranda: [
          {
            code: 'MOU-DEFAULTERS',
            title: '关于对失信被执行人实施联合惩戒的合作备忘录',
            documentNo: '发改财金〔2016〕141号',
            listTypes: ['COURT_DEFAULTER'],
            measures: [
              measure('DEF-PROCUREMENT', 'FINANCE', 'government_procurement_bid'),
              measure('DEF-BOND', 'NDRC', 'enterprise_bond_issue'),
              measure('DEF-TRAVEL', 'POLICE', 'high_consumption'),
            ],
          },
        ],
      },
    });
    expect(imported.status).toBe(201);
  });

  afterAll(async () => {
    await platform?.close();
    await receiver.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function subscribe(measureCode: string, token: string, path: string, base = receiver.url) {
    const res = await api('PUT', `${platform.url.trigger}/v1/subscriptions/${measureCode}`, {
      token,
      body: { channel: 'webhook', webhookUrl: `${base}${path}` },
    });
    expect(res.status).toBe(200);
  }

  const allowHost = (host: string) =>
    api('POST', `${platform.url.enforcement}/v1/webhook-host-allow-list`, {
      token: t.admin,
      body: { host, note: 'the test receiver' },
    });

  it('refuses webhook URLs on loopback, private, link-local and unresolvable hosts until an admin allow-lists the host', async () => {
    const port = new URL(receiver.url).port;
    for (const [url, code] of [
      [`${receiver.url}/finance`, 'WEBHOOK_URL.LOOPBACK'],
      ['https://10.0.0.1/hooks', 'WEBHOOK_URL.PRIVATE'],
      ['https://169.254.169.254/latest/meta-data', 'WEBHOOK_URL.LINK_LOCAL'],
      [`http://[::1]:${port}/finance`, 'WEBHOOK_URL.LOOPBACK'],
      [`http://localhost:${port}/finance`, 'WEBHOOK_URL.LOOPBACK'], // a name that resolves to loopback
      ['https://no-such-host.invalid/hooks', 'WEBHOOK_URL.UNRESOLVABLE'],
    ]) {
      const res = await api<{ code: string; errors: { field: string; code: string }[]; detail: string }>(
        'PUT',
        `${platform.url.trigger}/v1/subscriptions/DEF-PROCUREMENT`,
        { token: t.finance, body: { channel: 'webhook', webhookUrl: url } },
      );
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 422, code });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'webhookUrl', code })]);
      // a name's addresses are our DNS view: never told
      if (url.includes('localhost')) expect(res.body.detail).not.toContain('127.0.0.1');
    }
    // only admins keep the allow-list
    const refused = await api('POST', `${platform.url.enforcement}/v1/webhook-host-allow-list`, {
      token: t.financeSystem,
      body: { host: '127.0.0.1', note: 'mine' },
    });
    expect(refused.status).toBe(403);
    const bad = await api<{ code: string }>(
      'POST',
      `${platform.url.enforcement}/v1/webhook-host-allow-list`,
      {
        token: t.admin,
        body: { host: 'http://127.0.0.1:80/', note: 'x' },
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('WEBHOOK_HOST.INVALID');

    // an admin admits the test receiver's host, as for a department's endpoint on a private network
    expect((await allowHost('127.0.0.1')).status).toBe(201);
    expect((await allowHost('127.0.0.1')).status).toBe(409);
    const listed = await api<{ items: { host: string; addedBy: string }[] }>(
      'GET',
      `${platform.url.enforcement}/v1/webhook-host-allow-list`,
      { token: t.supervisor },
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ host: '127.0.0.1', addedBy: 'credit_office-user' }),
    ]);
    // trigger learns it from credit.webhook-hosts within moments
    await waitFor(
      async () =>
        (
          await api('PUT', `${platform.url.trigger}/v1/subscriptions/DEF-PROCUREMENT`, {
            token: t.finance,
            body: { channel: 'webhook', webhookUrl: `${receiver.url}/finance` },
          })
        ).status === 200,
      { message: 'the allow-listed host accepted at registration' },
    );
    // the other refusals stand: the allow-list is per host
    const other = await api<{ code: string }>(
      'PUT',
      `${platform.url.trigger}/v1/subscriptions/DEF-PROCUREMENT`,
      {
        token: t.finance,
        body: { channel: 'webhook', webhookUrl: `http://localhost:${port}/finance` },
      },
    );
    expect(other.body.code).toBe('WEBHOOK_URL.LOOPBACK');
  });

  /** Publishes an entry on a new company; its assignments by department once all three are issued. */
  async function publish(): Promise<{ entryId: string; byDept: Record<string, string> }> {
    const subject = {
      kind: 'legal_person',
      id: uscc(`PWD${String((n += 1)).padStart(5, '0')}`),
      name: `公司${n}`,
    };
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: { listType: 'COURT_DEFAULTER', decision: DECISION, subject },
    });
    expect(created.status).toBe(201);
    for (const step of ['notice', 'publish']) {
      const res = await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, {
        token: t.court,
      });
      expect(res.status).toBe(200);
    }
    const items = await waitFor(
      async () => {
        const res = await api<Page<Assignment>>(
          'GET',
          `${platform.url.trigger}/v1/assignments?entryId=${created.body.id}`,
          { token: t.supervisor },
        );
        return res.body.items.length === 3 ? res.body.items : undefined;
      },
      { message: 'three assignments' },
    );
    return { entryId: created.body.id, byDept: Object.fromEntries(items.map((a) => [a.dept, a.id])) };
  }

  async function end(entryId: string) {
    const res = await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
      token: t.court,
      body: { reason: 'repaired', note: '已履行' },
    });
    expect(res.status).toBe(200);
  }

  const deliveries = async (token: string, query = '') =>
    (
      await api<Page<Delivery>>('GET', `${platform.url.enforcement}/v1/deliveries?limit=500${query}`, {
        token,
      })
    ).body.items;

  const waitDeliveries = (
    token: string,
    query: string,
    predicate: (items: Delivery[]) => boolean,
    message: string,
    timeoutMs = 15_000,
  ) =>
    waitFor(
      async () => {
        const items = await deliveries(token, query);
        return predicate(items) ? items : undefined;
      },
      { message, timeoutMs },
    );

  let financeSecret = '';
  let firstIssue: Delivery;

  it('POSTs a subscribed department its assignment, signed, retrying until the endpoint answers 2xx', async () => {
    const rotated = await api<{ dept: string; secret: string }>(
      'POST',
      `${platform.url.enforcement}/v1/webhook-secret`,
      { token: t.financeSystem },
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body.dept).toBe('FINANCE');
    financeSecret = rotated.body.secret;
    await subscribe('DEF-PROCUREMENT', t.finance, '/finance');
    receiver.script.set('/finance', [500, 500]);

    const { byDept } = await publish();
    const [delivery] = await waitDeliveries(
      t.finance,
      `&assignmentId=${byDept.FINANCE}`,
      (d) => d.length === 1 && d[0].status === 'delivered',
      'the issue delivered',
    );
    expect(delivery).toMatchObject({
      dept: 'FINANCE',
      eventType: 'credit.assignment.issued.v1',
      url: `${receiver.url}/finance`,
      attempts: 3,
      lastStatusCode: 200,
      lastErrorCode: null,
      lastError: null,
    });
    firstIssue = delivery;

    const posts = receiver.of(byDept.FINANCE);
    expect(posts.map((p) => p.answered)).toEqual([500, 500, 200]);
    for (const post of posts) {
      expect(post.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
      expect(post.headers['x-credit-delivery-id']).toBe(delivery.id);
      expect(post.headers['x-credit-event-type']).toBe('credit.assignment.issued.v1');
      const timestamp = String(post.headers['x-credit-timestamp']);
      expect(timestamp).toMatch(/^\d{10}$/);
      const signature = String(post.headers['x-credit-signature']);
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhook(financeSecret, timestamp, post.body, signature)).toBe(true);
      expect(verifyWebhook('another-secret', timestamp, post.body, signature)).toBe(false);
      expect(post.event).toMatchObject({ specversion: '1.0', type: 'credit.assignment.issued.v1' });
      expect(post.event.data.assignmentId).toBe(byDept.FINANCE);
    }
    // departments that did not subscribe by webhook get nothing POSTed
    expect(receiver.of(byDept.NDRC)).toEqual([]);
    expect(await deliveries(t.ndrc)).toEqual([]);
  });

  it("a department whose endpoint never answers does not delay another department's deliveries", async () => {
    await subscribe('DEF-BOND', t.ndrc, '/ndrc');
    receiver.behaviour.set('/ndrc', 'hang');
    // more rows than NDRC's slots: were the slots shared, FINANCE would queue behind them
    const entries = await Promise.all([publish(), publish(), publish()]);
    const financeIds = entries.map((e) => e.byDept.FINANCE);
    const finance = await waitDeliveries(
      t.finance,
      '',
      (d) => financeIds.every((id) => d.some((x) => x.assignmentId === id && x.status === 'delivered')),
      'FINANCE delivered',
    );
    const ndrc = await deliveries(t.ndrc);
    expect(ndrc).toHaveLength(3);
    expect(ndrc.every((d) => d.status === 'pending' || d.status === 'failed')).toBe(true);
    for (const id of financeIds) {
      const d = finance.find((x) => x.assignmentId === id)!;
      // inside one NDRC timeout (3 s): shared slots would have queued FINANCE behind a hung POST
      expect(Date.parse(d.deliveredAt!) - Date.parse(d.createdAt)).toBeLessThan(3000);
    }
    const retrying = await waitDeliveries(
      t.ndrc,
      '',
      (d) => d.length === 3 && d.every((x) => x.status === 'failed'),
      'NDRC retrying',
    );
    expect(retrying[0].lastErrorCode).toBe('DELIVERY.TIMEOUT');
    expect(retrying[0].lastError).toBe('no answer within 3000 ms');
    expect(retrying[0].lastStatusCode).toBeNull();
  });

  it('POSTs the lift only after the issue of the same assignment was delivered', async () => {
    receiver.script.set('/finance', [500, 500, 500]);
    const { entryId, byDept } = await publish();
    await end(entryId);
    const log = await waitDeliveries(
      t.finance,
      `&assignmentId=${byDept.FINANCE}`,
      (d) => d.length === 2 && d.every((x) => x.status === 'delivered'),
      'issue and lift delivered',
    );
    expect(log.map((d) => [d.eventType, d.attempts])).toEqual([
      ['credit.assignment.issued.v1', 4],
      ['credit.assignment.lifted.v1', 1],
    ]);
    expect(receiver.of(byDept.FINANCE).map((p) => `${p.event.type}:${p.answered}`)).toEqual([
      'credit.assignment.issued.v1:500',
      'credit.assignment.issued.v1:500',
      'credit.assignment.issued.v1:500',
      'credit.assignment.issued.v1:200',
      'credit.assignment.lifted.v1:200',
    ]);
  });

  it('gives up after the last attempt, and a manual replay delivers again', async () => {
    // NDRC's endpoint (hung since the test before) now fails at once: its remaining attempts need not
    // each wait out the 3 s timeout before the last one gives up
    receiver.behaviour.set('/ndrc', 503);
    const dead = await waitDeliveries(
      t.ndrc,
      '&status=dead',
      (d) => d.length >= 1,
      'an NDRC delivery dead',
      20_000,
    );
    expect(dead[0].attempts).toBe(5);
    receiver.behaviour.set('/ndrc', 200); // NDRC fixed its endpoint
    const replayed = await api<Delivery>(
      'POST',
      `${platform.url.enforcement}/v1/deliveries/${dead[0].id}/replay`,
      { token: t.ndrc },
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ id: dead[0].id, status: 'pending', attempts: 0, replays: 1 });
    await waitDeliveries(
      t.ndrc,
      `&assignmentId=${dead[0].assignmentId}`,
      (d) => d[0]?.status === 'delivered' && d[0].attempts === 1,
      'the dead delivery delivered after the replay',
    );

    // a delivered one is delivered again, with the same delivery id
    const before = receiver.of(firstIssue.assignmentId).length;
    const again = await api<Delivery>(
      'POST',
      `${platform.url.enforcement}/v1/deliveries/${firstIssue.id}/replay`,
      { token: t.finance },
    );
    expect(again.status).toBe(200);
    const redelivered = await waitFor(
      () => receiver.of(firstIssue.assignmentId).length > before && receiver.of(firstIssue.assignmentId),
      { message: 'a second POST' },
    );
    const last = redelivered[redelivered.length - 1];
    expect(last.headers['x-credit-delivery-id']).toBe(firstIssue.id);
    expect(last.event.id).toBe(receiver.of(firstIssue.assignmentId)[0].event.id);
    await waitDeliveries(
      t.finance,
      `&assignmentId=${firstIssue.assignmentId}`,
      (d) => d[0]?.status === 'delivered' && d[0].replays === 1,
      'delivered again',
    );
  });

  it("keeps each department to its own log and its own replays; a supervisor sees every department's", async () => {
    const ndrc = await deliveries(t.ndrc);
    const finance = await deliveries(t.finance);
    expect(ndrc.length).toBeGreaterThan(0);
    expect(ndrc.every((d) => d.dept === 'NDRC')).toBe(true);
    expect(finance.every((d) => d.dept === 'FINANCE')).toBe(true);
    const all = await deliveries(t.supervisor);
    expect(all).toHaveLength(ndrc.length + finance.length);
    expect(await deliveries(t.supervisor, '&dept=NDRC')).toHaveLength(ndrc.length);
    // a department asking for another's assignment finds nothing of it
    expect(await deliveries(t.ndrc, `&assignmentId=${firstIssue.assignmentId}`)).toEqual([]);

    const other = await api('POST', `${platform.url.enforcement}/v1/deliveries/${firstIssue.id}/replay`, {
      token: t.ndrc,
    });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('DELIVERY.OTHER_DEPARTMENT');
    const unknown = await api(
      'POST',
      `${platform.url.enforcement}/v1/deliveries/00000000-0000-4000-8000-000000000000/replay`,
      { token: t.finance },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('DELIVERY.NOT_FOUND');
    expect((await api('GET', `${platform.url.enforcement}/v1/deliveries`, { token: t.court })).status).toBe(
      403,
    );
    expect(
      (await api('POST', `${platform.url.enforcement}/v1/webhook-secret`, { token: t.court })).status,
    ).toBe(403);

    // pages with a cursor
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Delivery> = (
        await api<Page<Delivery>>(
          'GET',
          `${platform.url.enforcement}/v1/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token: t.supervisor },
        )
      ).body;
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((d) => d.id));
  });

  it("streams the department's assignment events as server-sent events, resuming after Last-Event-ID", async () => {
    const stream = await openStream(platform.url.enforcement, t.police);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    let lastId: string;
    let policeId: string;
    let entryId: string;
    try {
      ({
        entryId,
        byDept: { POLICE: policeId },
      } = await publish());
      const issued = await waitFor(
        () =>
          stream.events.find(
            (e) => e.event === 'credit.assignment.issued.v1' && e.data.data.assignmentId === policeId,
          ),
        { message: 'the issued event on the stream' },
      );
      expect(issued.data.type).toBe('credit.assignment.issued.v1');
      expect(issued.id).toMatch(/^\d+-\d+$/);
      // only POLICE's events: of this entry its one assignment (a lift of an earlier test's POLICE
      // assignment may still arrive after the stream opened: POLICE's too)
      expect(stream.events.map((e) => e.data.data.dept)).toEqual(stream.events.map(() => 'POLICE'));
      expect(
        stream.events.filter((e) => e.data.data.entryId === entryId).map((e) => e.data.data.assignmentId),
      ).toEqual([policeId]);
      // each streamed item shows a subject's data: the read is in the access log (decision 0021)
      const streamed = await waitFor(
        async () =>
          (
            await api<Page<{ sub: string; dept: string; role: string; what: string; subjectId: string }>>(
              'GET',
              `${platform.url.enforcement}/v1/access-log?subjectId=${subjectOf(issued)}&dept=POLICE`,
              { token: t.admin },
            )
          ).body.items.find((i) => i.what === 'GET /v1/stream'),
        { message: 'the streamed subject in the access log' },
      );
      expect(streamed).toMatchObject({ dept: 'POLICE', role: 'implementer', subjectId: subjectOf(issued) });
      expect(streamed.sub).toBeTruthy();
      lastId = stream.events[stream.events.length - 1].id;
    } finally {
      await stream.close();
    }

    const resumed = await openStream(platform.url.enforcement, t.police, lastId);
    try {
      await end(entryId);
      const lifted = await waitFor(
        () => resumed.events.find((e) => e.event === 'credit.assignment.lifted.v1'),
        { message: 'the lift on the resumed stream' },
      );
      expect(lifted.data.data.assignmentId).toBe(policeId);
      expect(resumed.events.map((e) => e.event)).toEqual(['credit.assignment.lifted.v1']);
    } finally {
      await resumed.close();
    }

    const bad = await api('GET', `${platform.url.enforcement}/v1/stream?lastEventId=nonsense`, {
      token: t.police,
    });
    expect(bad.status).toBe(400);
    expect((await api('GET', `${platform.url.enforcement}/v1/stream`, { token: t.court })).status).toBe(403);
  });
  it("stores the signing secrets encrypted; only a department's system or an admin rotates them", async () => {
    const db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const { rows: columns } = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = 'enforcement' AND table_name = 'webhook_secrets'`,
      );
      expect(columns.map((c) => c.column_name).sort()).toEqual(['created_at', 'dept', 'secret_encrypted']);
      const { rows } = await db.query<{ dept: string; secret_encrypted: string }>(
        'SELECT dept, secret_encrypted FROM enforcement.webhook_secrets',
      );
      const finance = rows.find((r) => r.dept === 'FINANCE')!;
      expect(finance.secret_encrypted).toMatch(/^v2:[0-9a-f]{8}:[\w-]+:[\w-]+:[\w-]+$/);
      const raw = financeSecret.slice('whsec_'.length);
      for (const row of rows) {
        expect(row.secret_encrypted).not.toContain(raw);
        expect(row.secret_encrypted).not.toContain('whsec_');
      }
    } finally {
      await db.end();
    }
    // a person's implementer token may not; the department's system and an admin may
    const rotate = (token: string, query = '') =>
      api<{ dept: string; code: string }>('POST', `${platform.url.enforcement}/v1/webhook-secret${query}`, {
        token,
      });
    expect((await rotate(t.finance)).status).toBe(403);
    expect((await rotate(t.financeSystem, '?dept=NDRC')).body.code).toBe('WEBHOOK_SECRET.OTHER_DEPARTMENT');
    const byAdmin = await rotate(t.admin, '?dept=NDRC');
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.dept).toBe('NDRC');
  });

  it('checks the URL again at delivery: a host taken off the allow-list gets nothing, with a reason and no internal detail', async () => {
    // POLICE registers while its host is allow-listed …
    const port = new URL(receiver.url).port;
    expect((await allowHost('localhost')).status).toBe(201);
    await waitFor(
      async () =>
        (
          await api('PUT', `${platform.url.trigger}/v1/subscriptions/DEF-TRAVEL`, {
            token: t.police,
            body: { channel: 'webhook', webhookUrl: `http://localhost:${port}/police` },
          })
        ).status === 200,
      { message: 'localhost accepted at registration' },
    );
    // … then an admin takes it off: delivery refuses from that moment
    const removed = await api('DELETE', `${platform.url.enforcement}/v1/webhook-host-allow-list/localhost`, {
      token: t.admin,
    });
    expect(removed.status).toBe(204);
    const { byDept } = await publish();
    const [failed] = await waitDeliveries(
      t.police,
      `&assignmentId=${byDept.POLICE}`,
      (d) => d.length === 1 && d[0].attempts >= 1 && d[0].status !== 'pending',
      'the POLICE delivery tried',
    );
    expect(failed).toMatchObject({ lastErrorCode: 'WEBHOOK_URL.LOOPBACK', lastStatusCode: null });
    expect(failed.lastError).toMatch(/allow-list/);
    expect(failed.lastError).not.toMatch(/127\.0\.0\.1|::1|ECONN|at .*\.ts/);
    expect(receiver.received.filter((r) => r.path === '/police')).toEqual([]);
  });

  it('drops a delivered payload after the retention period, keeps the log row, and answers a replay of it 410', async () => {
    const retention = platform.app.enforcement.get(DeliveryPayloadRetention);
    const delivered = (await deliveries(t.finance, '&status=delivered')).filter((d) => d.payload !== null);
    expect(delivered.length).toBeGreaterThanOrEqual(3);
    const [old, older, recent] = delivered;
    // two of them delivered eight days ago (the default retention is seven)
    const db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `UPDATE enforcement.deliveries SET delivered_at = now() - interval '8 days' WHERE id = ANY($1::uuid[])`,
        [[old.id, older.id]],
      );
      // two replicas at once, a row at a time: each payload dropped once, none waited for
      const dropped = await Promise.all([retention.run(1), retention.run(1)]);
      expect(dropped[0] + dropped[1]).toBe(2);
      const { rows } = await db.query<{ id: string; payload: unknown }>(
        'SELECT id, payload FROM enforcement.deliveries WHERE id = ANY($1::uuid[])',
        [[old.id, older.id, recent.id]],
      );
      expect(
        rows
          .filter((r) => r.payload === null)
          .map((r) => r.id)
          .sort(),
      ).toEqual([old.id, older.id].sort());
    } finally {
      await db.end();
    }
    expect(await retention.run()).toBe(0);
    const log = await deliveries(t.finance, `&assignmentId=${old.assignmentId}`);
    const row = log.find((d) => d.id === old.id)!;
    expect(row).toMatchObject({
      status: 'delivered',
      payload: null,
      attempts: old.attempts,
      createdAt: old.createdAt,
    });
    expect(row.deliveredAt).not.toBeNull();
    expect(row.payloadDroppedAt).not.toBeNull();
    const replay = await api<{ code: string }>(
      'POST',
      `${platform.url.enforcement}/v1/deliveries/${old.id}/replay`,
      {
        token: t.finance,
      },
    );
    expect(replay.status).toBe(410);
    expect(replay.body.code).toBe('DELIVERY.PAYLOAD_EXPIRED');
    // one still within its retention keeps its payload and can be replayed
    expect(
      (await deliveries(t.finance, `&assignmentId=${recent.assignmentId}`)).find((d) => d.id === recent.id)!
        .payload,
    ).not.toBeNull();
  });
});
