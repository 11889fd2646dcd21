import { randomUUID } from 'node:crypto';
import { ROLES, Role } from '@credit/contracts';
import { DECISION, entry, uscc } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { api, ServiceName, startPlatform, TestPlatform } from '../support/services';

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Parameter = { name: string; in: string; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

interface Probe {
  service: ServiceName;
  method: string;
  path: string;
  what: string;
  body?: string;
  contentType?: string;
}

interface Answer extends Probe {
  status: number;
  code?: string;
}

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'];
const CONTROL = 'x\u0000y';
const BELL = '\u0007';
const LONG = 'x'.repeat(100_000);
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

/** What goes where a value belongs: control characters, oversized values, wrong types. */
const MUTATIONS: [string, unknown][] = [
  ['a NUL', CONTROL],
  ['a bell', BELL],
  ['a 100,000-character string', LONG],
  ['a huge number', 1e308],
  ['an integer past 2^63', 2 ** 64],
  ['an object', { a: 1 }],
  ['an array', [1, 'x']],
  ['an array of objects', [{ a: CONTROL }]],
  ['null', null],
  ['a long digit string', '9'.repeat(400)],
  ['a nested object 30 deep', JSON.parse(`${'{"a":'.repeat(30)}1${'}'.repeat(30)}`)],
];

function resolve(doc: OpenApi, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 10; i += 1) s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
  const union = s.allOf ?? s.oneOf ?? s.anyOf;
  if (union?.length)
    return { ...resolve(doc, union[0]), ...s, allOf: undefined, oneOf: undefined, anyOf: undefined };
  return s;
}

/** A value the schema would accept, roughly: what the mutations then spoil one field at a time. */
function sample(doc: OpenApi, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (depth > 4) return null;
  if (s.type === 'array') return [sample(doc, s.items, depth + 1)];
  if (s.type === 'object' || s.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(s.properties ?? {})) out[key] = sample(doc, prop, depth + 1);
    return out;
  }
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return true;
  if (s.format === 'uuid') return randomUUID();
  if (s.format === 'date-time') return new Date().toISOString();
  if (s.format === 'date') return '2026-10-01';
  return 'FUZZ';
}

/** Every path to a value inside `value` (objects and the first element of arrays), three levels deep. */
function fieldPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (prefix.length >= 3 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    if (value.length > 0) {
      out.push([...prefix, 0]);
      fieldPaths(value[0], [...prefix, 0], out);
    }
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    out.push([...prefix, key]);
    fieldPaths(v, [...prefix, key], out);
  }
  return out;
}

function withValue(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = replacement;
  return copy;
}

/**
 * The write routes of a service's OpenAPI document, each with its probes. `known` gives a real value for
 * a path parameter by the path before it (`/v1/list-entries/` → an entry of the caller's department), so
 * that the poison reaches past the look-up; any other parameter gets a random UUID.
 */
function probesOf(service: ServiceName, doc: OpenApi, known: Record<string, string>): Probe[] {
  const probes: Probe[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (method === 'get') {
        // reads: a control character in a filter or a path code (they reach SQL as parameters too)
        const fill = (name?: string) =>
          (op.parameters ?? [])
            .filter((p) => p.in === 'path')
            .reduce(
              (path, p) =>
                path.replace(
                  `{${p.name}}`,
                  encodeURIComponent(
                    p.name === name
                      ? `A${CONTROL}B`
                      : (known[template.slice(0, template.indexOf(`{${p.name}}`))] ?? randomUUID()),
                  ),
                ),
              template,
            );
        for (const p of op.parameters ?? []) {
          const path =
            p.in === 'path'
              ? fill(p.name)
              : p.in === 'query'
                ? `${fill()}?${p.name}=${encodeURIComponent(CONTROL)}`
                : undefined;
          if (path)
            probes.push({ service, method: 'GET', path, what: `a NUL in ${p.in} ${p.name} of a read` });
        }
        continue;
      }
      if (!WRITE_METHODS.includes(method)) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const fill = (value: (name: string) => string) =>
        params.reduce((path, name) => path.replace(`{${name}}`, encodeURIComponent(value(name))), template);
      const real = (name: string) => known[template.slice(0, template.indexOf(`{${name}}`))] ?? randomUUID();
      const path = fill(real);
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const base = { service, method: method.toUpperCase() };
      // path parameters and query values holding control characters
      for (const name of params) {
        probes.push({
          ...base,
          path: fill((n) => (n === name ? `A${CONTROL}B` : real(n))),
          what: `a NUL in path parameter ${name}`,
        });
        probes.push({
          ...base,
          path: fill((n) => (n === name ? 'Z'.repeat(5000) : real(n))),
          what: `a 5,000-character path parameter ${name}`,
        });
      }
      for (const name of queryNames) {
        probes.push({
          ...base,
          path: `${path}?${name}=${encodeURIComponent(CONTROL)}`,
          what: `a NUL in query ${name}`,
        });
      }
      const content = op.requestBody?.content ?? {};
      const json = content['application/json'];
      if (!json && Object.keys(content).length > 0) {
        // an upload (CSV, XLSX): control characters and junk in the file itself
        for (const contentType of Object.keys(content)) {
          probes.push({
            ...base,
            path,
            what: `a NUL in a ${contentType} upload`,
            contentType,
            body: `a,b\n${CONTROL},\u0001\n`,
          });
          probes.push({
            ...base,
            path,
            what: `junk as ${contentType}`,
            contentType,
            body: '\u0000'.repeat(1000),
          });
        }
        continue;
      }
      const valid = sample(doc, json?.schema) ?? {};
      probes.push({ ...base, path, what: 'a sample body', body: JSON.stringify(valid) });
      probes.push({ ...base, path, what: 'JSON 100,000 levels deep', body: DEEP });
      probes.push({ ...base, path, what: 'an object 100,000 levels deep', body: `{"a":${DEEP}}` });
      for (const [name, body] of [
        ['an array for the body', '[{"a":1}]'],
        ['a string for the body', '"x\\u0000"'],
        ['a number for the body', '1e999'],
        ['null for the body', 'null'],
        ['a key holding a NUL', JSON.stringify({ ...(valid as object), 'k\u0000': 1 })],
      ])
        probes.push({ ...base, path, what: name, body });
      for (const field of fieldPaths(valid)) {
        for (const [name, value] of MUTATIONS) {
          probes.push({
            ...base,
            path,
            what: `${name} in ${field.join('.')}`,
            body: JSON.stringify(withValue(valid, field, value)),
          });
        }
      }
    }
  }
  return probes;
}

/**
 * Poison input never gives a 5xx and never stops anyone else's work: every write route of every service,
 * read from its /docs-json, gets control characters, deep JSON and oversized or mistyped values, and every
 * read a control character in each path parameter and query filter, with a token holding every role; then
 * the check log, the trail and the outboxes must still flow.
 */
describe('fuzz: poison input at every write route', () => {
  let platform: TestPlatform;
  const t: Record<string, string> = {};
  const known: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startPlatform();
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.court = await platform.token('COURT', ['initiator']);
    t.finance = await platform.token('FINANCE', ['system']);
    t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    t.all = await platform.token('CREDIT_OFFICE', ROLES.filter((r) => r !== 'subject') as Role[]);
    await seedCatalog(platform, t.admin, {
      measures: [measureBody('FUZZ-BAN', 'FINANCE'), measureBody('FUZZ-OFFICE', 'CREDIT_OFFICE')],
    });
    // real things of the caller's department for the path parameters: an entry, an assignment, a check
    const listed = uscc('FAAENTR1');
    const published = await entry(
      { url: platform.url.registry },
      t.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: listed, name: 'x' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const assignment = await waitFor(
      async () =>
        (
          await api<{ items: { id: string }[] }>('GET', `${platform.url.enforcement}/v1/inbox`, {
            token: t.all,
          })
        ).body.items?.[0],
      { message: 'an assignment of the caller’s department' },
    );
    const check = await api<{ checkId: string }>('POST', `${platform.url.enforcement}/v1/checks`, {
      token: t.all,
      body: { subject: { id: listed }, action: 'government_procurement_bid' },
    });
    Object.assign(known, {
      '/v1/list-entries/': published,
      '/v1/assignments/': assignment.id,
      '/v1/checks/': check.body.checkId,
      '/v1/memoranda/': 'MOU-TEST',
      '/v1/measures/': 'FUZZ-OFFICE',
      '/v1/subscriptions/': 'FUZZ-OFFICE',
      '/v1/watch-list/': listed,
    });
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('answers every probe below 500; control characters and deep JSON as the edge refuses them', async () => {
    const probes: Probe[] = [];
    for (const service of Object.keys(platform.url) as ServiceName[]) {
      const doc = (await api<OpenApi>('GET', `${platform.url[service]}/docs-json`)).body;
      probes.push(...probesOf(service, doc, known));
    }
    const answers: Answer[] = [];
    const send = async (p: Probe): Promise<Answer> => {
      const response = await fetch(`${platform.url[p.service]}${p.path}`, {
        method: p.method,
        headers: {
          authorization: `Bearer ${t.all}`,
          ...(p.body !== undefined ? { 'content-type': p.contentType ?? 'application/json' } : {}),
        },
        body: p.body,
      });
      const text = await response.text();
      let code: string | undefined;
      try {
        code = (JSON.parse(text) as { code?: string }).code;
      } catch {
        code = undefined;
      }
      return { ...p, status: response.status, code };
    };
    // a few at a time: the services see concurrent poison, as they would in production
    const queue = [...probes];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let p = queue.shift(); p; p = queue.shift()) answers.push(await send(p));
      }),
    );
    const line = (a: Answer) =>
      `${a.status} ${a.code} ${a.service} ${a.method} ${a.path.slice(0, 80)}: ${a.what}`;
    expect(answers.filter((a) => a.status >= 500).map(line)).toEqual([]);
    expect(answers.length).toBeGreaterThan(1000);
    // the edge's own refusals, with their codes (a route that takes no JSON refuses the media type first)
    const refusedAs = (what: RegExp, code: string) =>
      answers.filter((a) => what.test(a.what) && a.code !== code && a.status !== 415).map(line);
    expect(refusedAs(/levels deep/, 'INPUT.TOO_DEEP')).toEqual([]);
    expect(
      refusedAs(/^a NUL in (path|query|[a-z])|^a bell|key holding a NUL/, 'INPUT.CONTROL_CHARACTER'),
    ).toEqual([]);
    expect(answers.filter((a) => a.method === 'GET').length).toBeGreaterThan(50);
    if (process.env.FUZZ_DEBUG)
      process.stdout.write(
        `${answers
          .filter((a) => a.what === 'a sample body')
          .map((a) => `${line(a)} ${a.body?.slice(0, 300)}`)
          .join('\n')}\n`,
      );
    const byStatus: Record<number, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    process.stdout.write(
      `fuzz: ${answers.length} probes, ${probes.length} sent; answers by status ${JSON.stringify(byStatus)}\n`,
    );
  }, 180_000); // every write route of four services, probed many ways: longer on a loaded machine

  it('keeps the check log, the trail and the outboxes flowing afterwards', async () => {
    const id = uscc('FAAFTER1');
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id, name: 'x' },
        decision: DECISION,
      },
    });
    expect(created.status).toBe(201);
    const entryId = created.body.id;
    for (const step of ['notice', 'publish'])
      expect(
        (await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/${step}`, { token: t.court }))
          .status,
      ).toBe(200);
    // the registry's outbox → trigger's fan-out → enforcement's inbox: the check blocks
    const checked = await waitFor(
      async () => {
        const res = await api<{ checkId: string; decision: string }>(
          'POST',
          `${platform.url.enforcement}/v1/checks`,
          {
            token: t.finance,
            body: { subject: { id }, action: 'government_procurement_bid' },
          },
        );
        return res.body.decision === 'block' && res.body;
      },
      { message: 'the fresh entry blocks the check' },
    );
    // the check log stored the check: its decision is accepted
    await waitFor(
      async () =>
        (
          await api('POST', `${platform.url.enforcement}/v1/checks/${checked.checkId}/decisions`, {
            token: t.finance,
            body: { outcome: 'applied' },
          })
        ).status === 201,
      { message: 'the fresh check answerable by /decisions' },
    );
    // the trail holds the entry's publication, its assignment and the check's hit
    await waitFor(
      async () => {
        const trail = await api<{ items: { type: string }[] }>(
          'GET',
          `${platform.url.tracking}/v1/list-entries/${entryId}/trail`,
          { token: t.supervisor },
        );
        const types = new Set((trail.body.items ?? []).map((i) => i.type));
        return (
          types.has('credit.list-entry.published.v1') &&
          types.has('credit.assignment.issued.v1') &&
          types.has('credit.check.hit.v1')
        );
      },
      { message: 'the fresh entry, its assignment and the hit in the trail' },
    );
    const assignments = await api<{ items: { dept: string }[] }>(
      'GET',
      `${platform.url.trigger}/v1/assignments?entryId=${entryId}`,
      { token: t.supervisor },
    );
    expect(assignments.body.items.map((a) => a.dept)).toEqual(['FINANCE']);
  });
});
