import { defineCodes, defineErrors } from '@credit/platform';

/** DELIVERY.* codes (see docs/errors.md). */
export const DeliveryErrors = defineErrors({
  NOT_FOUND: {
    code: 'DELIVERY.NOT_FOUND',
    status: 404,
    message: 'delivery … does not exist',
  },
  OTHER_DEPARTMENT: {
    code: 'DELIVERY.OTHER_DEPARTMENT',
    status: 403,
    message: 'delivery … belongs to another department',
  },
  PAYLOAD_EXPIRED: {
    code: 'DELIVERY.PAYLOAD_EXPIRED',
    status: 410,
    message:
      "delivery …'s payload was dropped after the retention period; the assignment is still in the inbox",
  },
  WEBHOOK_SECRET_OTHER_DEPARTMENT: {
    code: 'WEBHOOK_SECRET.OTHER_DEPARTMENT',
    status: 403,
    message: "only an admin rotates another department's secret",
  },
  WEBHOOK_HOST_ALREADY_LISTED: {
    code: 'WEBHOOK_HOST.ALREADY_LISTED',
    status: 409,
    message: '… is already on the allow-list',
  },
  WEBHOOK_HOST_NOT_LISTED: {
    code: 'WEBHOOK_HOST.NOT_LISTED',
    status: 404,
    message: '… is not on the allow-list',
  },
  WEBHOOK_HOST_INVALID: {
    code: 'WEBHOOK_HOST.INVALID',
    status: 422,
    message: 'host must be a host name or an IP address, without scheme, port or path',
  },
});

/**
 * Why a webhook delivery failed, as the delivery log (`GET /deliveries`, `lastErrorCode`) tells the
 * department; a URL the policy refuses at delivery time gives its `WEBHOOK_URL.*` code instead.
 */
export const DeliveryFailures = defineCodes('delivery', {
  HTTP_STATUS: {
    code: 'DELIVERY.HTTP_STATUS',
    message: 'the endpoint answered with a status other than 2xx (`lastStatusCode` says which)',
  },
  TIMEOUT: { code: 'DELIVERY.TIMEOUT', message: 'the endpoint did not answer within the delivery timeout' },
  CONNECTION_REFUSED: { code: 'DELIVERY.CONNECTION_REFUSED', message: 'the endpoint refused the connection' },
  TLS: {
    code: 'DELIVERY.TLS',
    message: 'the TLS handshake with the endpoint failed (is its certificate valid for its host name?)',
  },
  CONNECTION_FAILED: { code: 'DELIVERY.CONNECTION_FAILED', message: 'the connection to the endpoint failed' },
  FAILED: {
    code: 'DELIVERY.FAILED',
    message: 'the delivery could not be attempted (a fault on our side); it is tried again',
  },
  STALE: {
    code: 'DELIVERY.STALE',
    message: 'the event was older than the retry window when it reached delivery: logged dead, not sent',
  },
});
