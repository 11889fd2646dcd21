import { defineErrors } from '@credit/platform';

/** GATEWAY.* codes: answered by the gateway itself, before or instead of a service. */
export const GatewayErrors = defineErrors({
  NO_ROUTE: {
    code: 'GATEWAY.NO_ROUTE',
    status: 404,
    message: 'no service serves this method and path',
  },
  UPSTREAM_UNAVAILABLE: {
    code: 'GATEWAY.UPSTREAM_UNAVAILABLE',
    status: 502,
    message: 'the owning service did not answer',
  },
});
