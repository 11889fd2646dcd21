import { Histogram, Registry } from 'prom-client';
import { RequestDurationHistogram } from './metrics';

/** The exposition text's lines, labels in a fixed order (Prometheus does not care about their order). */
function lines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/\{([^}]*)\}/, (_, labels: string) => `{${labels.split(',').sort().join(',')}}`))
    .sort();
}

describe('RequestDurationHistogram', () => {
  it('exposes what a prom-client Histogram with the same name, labels and buckets exposes', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new RequestDurationHistogram();
    ours.registerMetric(fast as unknown as Histogram);
    const reference = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [theirs],
    });
    const observations: [string, string, number, number][] = [
      ['POST', '/v1/checks', 200, 0.0004],
      ['POST', '/v1/checks', 200, 0.001],
      ['POST', '/v1/checks', 200, 0.0031],
      ['POST', '/v1/checks', 401, 0.0002],
      ['GET', '/v1/inbox', 200, 0.3],
      ['GET', '/v1/inbox', 200, 7],
    ];
    for (const [method, route, status, seconds] of observations) {
      fast.observe(method, route, status, seconds);
      reference.observe({ method, route, status: String(status) }, seconds);
    }
    expect(lines(await ours.metrics())).toEqual(lines(await theirs.metrics()));
    fast.reset();
    expect(await ours.metrics()).not.toContain('_count');
  });
});
