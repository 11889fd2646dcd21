import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { ServiceName, startPlatform, TestPlatform } from '../support/services';

/**
 * deploy/observability: every metric an alert rule or a dashboard panel names is one the services export
 * (read from /metrics of the running services), and the metrics of issue 17 are there with their labels.
 */
const DIR = join(__dirname, '..', '..', 'deploy', 'observability');
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'le',
  'inf',
  'nan',
]);

/** The metric names an expression reads: identifiers not called as functions, outside label matchers and grouping. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = bare.slice((m.index ?? 0) + word.length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(word.toLowerCase()) || !word.includes('_')) continue;
    names.push(word);
  }
  return names;
}

describe('alerts and dashboard against the exported metrics', () => {
  let platform: TestPlatform;
  const exported = new Set<string>();

  beforeAll(async () => {
    platform = await startPlatform();
    for (const service of Object.keys(platform.url) as ServiceName[]) {
      const text = await (await fetch(`${platform.url[service]}/metrics`)).text();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(name);
        if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(name + s);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('exports the operations metrics of issue 17', () => {
    for (const name of [
      'messaging_consumer_lag',
      'messaging_outbox_backlog',
      'messaging_outbox_oldest_age_seconds',
      'messaging_dead_letters_total',
      'tracking_overdue_assignments',
      'http_request_duration_seconds_bucket',
    ])
      expect(exported).toContain(name);
  });

  it('reports a lag per consumer group and the outbox of each service', async () => {
    const text = await (await fetch(`${platform.url.trigger}/metrics`)).text();
    expect(text).toMatch(
      /^messaging_consumer_lag\{group="trigger\.list-entries",topic="credit\.list-entries"\} \d+$/m,
    );
    expect(text).toMatch(/^messaging_outbox_backlog\{service="trigger"\} \d+$/m);
    expect(text).toMatch(/^messaging_outbox_oldest_age_seconds\{service="trigger"\} [\d.e+-]+$/m);
    expect(text).toMatch(/^tracking_overdue_assignments\{kind="acknowledgement"\} \d+$/m);
  });

  it('names only exported metrics in the alert rules', () => {
    const rules = load(readFileSync(join(DIR, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const named = rules.groups.flatMap((g) => g.rules.flatMap((r) => metricsIn(r.expr)));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !exported.has(n))).toEqual([]);
  });

  it('names only exported metrics in the dashboard, a valid Grafana JSON', () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
      uid: string;
      panels: { id: number; title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.uid).toBeTruthy();
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    const named = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricsIn(t.expr)));
    expect(named.length).toBeGreaterThan(8);
    expect(named.filter((n) => !exported.has(n))).toEqual([]);
  });
});
