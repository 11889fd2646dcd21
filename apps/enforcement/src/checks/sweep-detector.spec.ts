import { Writable } from 'node:stream';
import pino from 'pino';
import { SweepDetector, sweepSuspected } from './sweep-detector';

function detector() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const d = new SweepDetector({ batchMisses: 500, windowMisses: 1_000, windowMs: 600_000 }, pino(stream));
  return { d, lines };
}

const count = async (dept: string) =>
  (await sweepSuspected.get()).values.find((v) => v.labels.dept === dept)?.value ?? 0;

describe('SweepDetector', () => {
  const finance = { dept: 'SWEEP_FIN', sub: 'finance-system', roles: ['system' as const] };

  it('lets a batch of casework pass and raises the alert for a batch that misses many subjects', async () => {
    const { d, lines } = detector();
    expect(d.observe(finance, 1000, 12, 0)).toBe(false); // a tender's bidders, a few listed
    expect(d.observe(finance, 1000, 501, 1)).toBe(true); // a range of ID numbers, nearly all unknown
    expect(await count('SWEEP_FIN')).toBe(1);
    const logged = JSON.parse(lines[0]);
    expect(logged).toMatchObject({
      dept: 'SWEEP_FIN',
      sub: 'finance-system',
      subjects: 1000,
      misses: 501,
      trigger: 'batch',
    });
  });

  it('adds up the misses of a department over a sliding window (many small batches)', async () => {
    const { d } = detector();
    const police = { ...finance, dept: 'SWEEP_POL' };
    for (let i = 0; i < 10; i += 1) expect(d.observe(police, 100, 100, i * 1000)).toBe(false);
    expect(d.observe(police, 100, 100, 11_000)).toBe(true);
    expect(await count('SWEEP_POL')).toBe(1);
    // another department's misses are its own
    expect(d.observe({ ...finance, dept: 'SWEEP_OTHER' }, 100, 100, 12_000)).toBe(false);
    // long after, the window has forgotten them
    expect(d.observe(police, 100, 100, 2 * 600_000 + 20_000)).toBe(false);
  });

  it('never logs an identifier: it is never given one', () => {
    const { d, lines } = detector();
    d.observe(finance, 1000, 900, 0);
    expect(lines.join('\n')).not.toMatch(/\d{17}[\dX]|91330106/);
  });
});
