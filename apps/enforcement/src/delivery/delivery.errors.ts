import { defineErrors } from '@credit/platform';

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
