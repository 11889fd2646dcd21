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
