import pino from 'pino';
import { Writable } from 'node:stream';
import { LazyRequestLogger } from './request-logger';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const root = pino(
    { level, base: { process: 'test' }, redact: { paths: ['*.authorization'], censor: '***' } },
    stream,
  );
  return { root, lines };
}

describe('LazyRequestLogger (request.log)', () => {
  it('makes no pino child while nothing is written at an enabled level', () => {
    const { root, lines } = capture('error');
    const log = new LazyRequestLogger(
      root.child({ component: 'http' }),
      { reqId: 'r-1' },
      { level: 'error' },
    );
    log.info({ route: '/v1/checks' }, 'request');
    log.debug('detail');
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    expect(log.level).toBe('error');
    expect(log.materialised).toBe(false);
    expect(lines).toEqual([]);
  });

  it('writes the same line a pino child would: bindings, options and redaction', async () => {
    const { root, lines } = capture('info');
    const parent = root.child({ component: 'http' });
    const log = new LazyRequestLogger(parent, { reqId: 'r-2' }, { level: 'info' });
    log.info({ headers: { authorization: 'Bearer x' }, status: 200 }, 'request');
    parent
      .child({ reqId: 'r-2' }, { level: 'info' })
      .info({ headers: { authorization: 'Bearer x' }, status: 200 }, 'request');
    await new Promise((r) => setImmediate(r));
    expect(log.materialised).toBe(true);
    const [lazy, eager] = lines.map(({ time: _time, ...rest }) => rest);
    expect(lazy).toEqual(eager);
    expect(lazy).toMatchObject({ reqId: 'r-2', component: 'http', headers: { authorization: '***' } });
  });

  it('honours the route level given by Fastify over the parent’s, and gives children', async () => {
    const { root, lines } = capture('info');
    const quiet = new LazyRequestLogger(root, { reqId: 'r-3' }, { level: 'warn' });
    quiet.info('dropped');
    quiet.warn('kept');
    quiet.child({ step: 'x' }).error('from a child');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['kept', 'r-3'],
      ['from a child', 'r-3'],
    ]);
  });
});

describe('LazyRequestLogger with the options Fastify gives a route without a log level', () => {
  it("takes `level: ''` as the parent's level, so request lines are written", async () => {
    const { root, lines } = capture('info');
    const log = new LazyRequestLogger(root.child({ component: 'http' }), { reqId: 'r-4' }, { level: '' });
    expect(log.level).toBe('info');
    expect(log.isLevelEnabled('info')).toBe(true);
    log.info({ route: '/v1/checks', status: 200 }, 'request');
    log.debug('dropped');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: 'r-4', route: '/v1/checks', msg: 'request', level: 30 });
  });
});
