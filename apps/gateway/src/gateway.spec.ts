import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { asyncApiDocument } from '@credit/contracts';
import { buildGateway } from './gateway';
import { RouteTable } from './route-table';

describe('gateway: GET /docs/events', () => {
  it('serves the AsyncAPI document of the topics itself, as the services do', async () => {
    const unreachable = 'http://127.0.0.1:9';
    const gateway = await buildGateway({
      upstreams: {
        registry: unreachable,
        trigger: unreachable,
        enforcement: unreachable,
        tracking: unreachable,
      },
      table: new RouteTable([]),
    });
    try {
      const res = await gateway.inject({ method: 'GET', url: '/docs/events' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(asyncApiDocument());
    } finally {
      await gateway.close();
    }
  });
});

describe('gateway: trace context', () => {
  it('passes traceparent and tracestate through to the owning service unchanged (issue 17)', async () => {
    // the upstream: a plain HTTP server that answers with the headers it received
    const received: IncomingHttpHeaders[] = [];
    const upstream = createServer((request, response) => {
      received.push(request.headers);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const gateway = await buildGateway({
      upstreams: { registry: url, trigger: url, enforcement: url, tracking: url },
      table: new RouteTable([{ method: 'GET', path: '/v1/memoranda', service: 'trigger' }]),
    });
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const res = await gateway.inject({
        method: 'GET',
        url: '/v1/memoranda',
        headers: { traceparent, tracestate: 'credit=t61rcWkgMzE' },
      });
      expect(res.statusCode).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0].traceparent).toBe(traceparent);
      expect(received[0].tracestate).toBe('credit=t61rcWkgMzE');
    } finally {
      await gateway.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
