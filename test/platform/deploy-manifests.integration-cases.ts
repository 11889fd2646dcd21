import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { loadAll } from 'js-yaml';
import { ALL_TOPICS } from '@credit/contracts';

/** CI's schema check of deploy/kubernetes (issue 17): every manifest against the kinds' JSON Schemas. */
const DIR = join(__dirname, '..', '..', 'deploy', 'kubernetes');
const schema = JSON.parse(readFileSync(join(DIR, 'schemas', 'kubernetes-minimal.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

// manifests are untyped YAML: the schema check above is what types them
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
type Doc = { kind: string; metadata: { name: string }; spec?: Any; data?: Record<string, string> };
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const docs: { file: string; doc: Doc }[] = files.flatMap((file) =>
  loadAll(readFileSync(join(DIR, file), 'utf8')).map((doc) => ({ file, doc: doc as Doc })),
);
const of = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
const SERVICES = ['registry', 'trigger', 'enforcement', 'tracking'];

describe('Kubernetes manifests', () => {
  it.each(docs.map((d) => [`${d.file} ${d.doc.kind}/${d.doc.metadata?.name}`, d.doc] as const))(
    '%s is valid against its kind’s schema',
    (_, doc) => {
      const ok = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it('the schema refuses what Kubernetes refuses (a misspelt field, a probe without a path)', () => {
    const deployment = structuredClone(of('Deployment')[0]);
    deployment.spec.template.spec.containers[0].readinesProbe = {};
    expect(validate(deployment)).toBe(false);
    const noPath = structuredClone(of('Deployment')[0]);
    delete noPath.spec.template.spec.containers[0].readinessProbe.httpGet.path;
    expect(validate(noPath)).toBe(false);
  });

  it('lists every manifest in the kustomization', () => {
    const kustomization = loadAll(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0] as {
      resources: string[];
    };
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
  });

  it('runs every service and the gateway with readiness and liveness on the health routes, a PDB and a Service', () => {
    const deployments = of('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES, 'gateway'].sort());
    for (const d of deployments) {
      const [container] = d.spec.template.spec.containers;
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      const labels = d.spec.selector.matchLabels;
      expect(d.spec.template.metadata.labels).toMatchObject(labels);
      expect(
        of('PodDisruptionBudget').some(
          (p) => JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(labels),
        ),
      ).toBe(true);
      expect(of('Service').some((s) => JSON.stringify(s.spec.selector) === JSON.stringify(labels))).toBe(
        true,
      );
      const env = Object.fromEntries(container.env.map((e: Any) => [e.name, e]));
      expect(env.SERVICE.value).toBe(d.metadata.name);
      if (SERVICES.includes(d.metadata.name))
        // decision 0044: a replica's stable name, so that a restart takes its dead consumers out at once
        expect(env.KAFKA_INSTANCE_ID.valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    }
  });

  it('refers only to the ConfigMap it ships and to the documented Secret', () => {
    const configMaps = new Set(of('ConfigMap').map((c) => c.metadata.name));
    const text = JSON.stringify(docs.map((d) => d.doc));
    for (const [, name] of text.matchAll(/"configMap(?:Key)?Ref":\{[^}]*"name":"([^"]+)"/g))
      expect(configMaps.has(name)).toBe(true);
    for (const [, name] of text.matchAll(/"secretKeyRef":\{[^}]*"name":"([^"]+)"/g))
      expect(name).toBe('credit-secrets');
  });

  it('scales enforcement on CPU', () => {
    const [hpa] = of('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'enforcement' });
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
  });

  it('has a migration Job and a topic Job creating every contract topic', () => {
    const jobs = of('Job');
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(['credit-migrate', 'credit-topics']);
    const topics = jobs
      .find((j) => j.metadata.name === 'credit-topics')!
      .spec.template.spec.containers[0].env.find((e: Any) => e.name === 'TOPICS').value;
    expect(topics.split(' ').sort()).toEqual([...ALL_TOPICS].sort());
  });
});

describe('alert rules', () => {
  const rules = loadAll(readFileSync(join(DIR, '..', 'observability', 'alerts.yml'), 'utf8'))[0] as {
    groups: { name: string; rules: Record<string, Any>[] }[];
  };

  // GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens
  const runbookAnchors = readFileSync(join(DIR, '..', '..', 'docs', 'runbook.md'), 'utf8')
    .split('\n')
    .filter((line) => /^#{1,4} /.test(line))
    .map((line) =>
      line
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} -]/gu, '')
        .replace(/ /g, '-'),
    );

  it('parse into groups of rules, each with a name, an expression, a severity, a summary and a runbook', () => {
    expect(rules.groups.length).toBeGreaterThan(0);
    const names = new Set<string>();
    for (const group of rules.groups) {
      expect(group.name).toMatch(/^[a-z-]+$/);
      expect(group.rules.length).toBeGreaterThan(0);
      for (const rule of group.rules) {
        expect(
          Object.keys(rule).every((k) => ['alert', 'expr', 'for', 'labels', 'annotations'].includes(k)),
        ).toBe(true);
        expect(rule.alert).toMatch(/^[A-Z][A-Za-z]+$/);
        expect(names.has(rule.alert)).toBe(false);
        names.add(rule.alert);
        expect(typeof rule.expr).toBe('string');
        if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smhd]$/);
        expect(['info', 'warning', 'critical']).toContain(rule.labels.severity);
        expect(rule.annotations.summary).toBeTruthy();
        const anchor = String(rule.annotations.runbook).split('#')[1];
        expect(runbookAnchors).toContain(anchor);
        // balanced brackets: a cheap stand-in for promtool's parser
        for (const [open, close] of ['()', '{}', '[]'])
          expect(rule.expr.split(open).length).toBe(rule.expr.split(close).length);
      }
    }
  });

  // Prometheus's own parser, where it is installed (scripts/ensure-promtool.sh; CI installs it and sets
  // CI_REQUIRE_PROMTOOL=1, so that a CI without it fails instead of passing on the structure check alone)
  it('pass promtool check rules', () => {
    const rulesFile = join(DIR, '..', 'observability', 'alerts.yml');
    const run = spawnSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8' });
    if (run.error) {
      expect({ promtool: 'not installed', required: process.env.CI_REQUIRE_PROMTOOL === '1' }).toEqual({
        promtool: 'not installed',
        required: false,
      });
      process.stdout.write('promtool is not installed: alerts.yml was checked by structure only\n');
      return;
    }
    expect({ status: run.status, output: `${run.stdout}${run.stderr}` }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });
});
