import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { postPinned } from './pinned-post';

describe('postPinned', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body });
        if (req.url !== '/hang') res.writeHead(204).end(); // /hang never answers
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to the checked address whatever the name resolves to now (no DNS at connect)', async () => {
    // the name does not resolve at all: the connection can only have used the pinned address
    const url = new URL(`http://hooks.rebound.invalid:${port}/x`);
    const answer = await postPinned(
      url,
      { address: '127.0.0.1', family: 4 },
      { 'x-test': '1' },
      '{"a":1}',
      2000,
    );
    expect(answer).toEqual({ status: 204 });
    expect(seen.at(-1)).toEqual({ host: `hooks.rebound.invalid:${port}`, body: '{"a":1}' });
  });

  it('tells a refused connection and a timeout by stable codes, without the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await postPinned(
      new URL(`http://hooks.example:${closedPort}/`),
      { address: '127.0.0.1', family: 4 },
      {},
      '{}',
      2000,
    );
    expect(refused).toMatchObject({ code: 'DELIVERY.CONNECTION_REFUSED' });
    expect((refused as { message: string }).message).not.toContain('127.0.0.1');
    const slow = await postPinned(
      new URL(`http://hooks.example:${port}/hang`),
      { address: '127.0.0.1', family: 4 },
      {},
      '{}',
      200,
    );
    expect(slow).toEqual({
      code: 'DELIVERY.TIMEOUT',
      message: 'no answer within 200 ms',
      internal: 'timeout',
    });
  });
});
