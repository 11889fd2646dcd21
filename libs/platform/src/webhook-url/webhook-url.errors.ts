import { defineErrors, ErrorSpec } from '../domain-error';

/**
 * WEBHOOK_URL.* codes: a refused webhook URL. At registration a 422 naming the field; at delivery the
 * delivery log's reason.
 */
export const WebhookUrlErrors = defineErrors({
  INVALID: {
    code: 'WEBHOOK_URL.INVALID',
    status: 422,
    message: 'the webhook URL is not a valid absolute https URL without credentials',
  },
  HTTPS_REQUIRED: {
    code: 'WEBHOOK_URL.HTTPS_REQUIRED',
    status: 422,
    message: 'the webhook URL must be https',
  },
  UNRESOLVABLE: {
    code: 'WEBHOOK_URL.UNRESOLVABLE',
    status: 422,
    message: 'the webhook host does not resolve',
  },
  LOOPBACK: {
    code: 'WEBHOOK_URL.LOOPBACK',
    status: 422,
    message: 'the webhook host resolves to a loopback address',
  },
  PRIVATE: {
    code: 'WEBHOOK_URL.PRIVATE',
    status: 422,
    message: 'the webhook host resolves to a private network address',
  },
  LINK_LOCAL: {
    code: 'WEBHOOK_URL.LINK_LOCAL',
    status: 422,
    message: 'the webhook host resolves to a link-local address',
  },
  UNSPECIFIED: {
    code: 'WEBHOOK_URL.UNSPECIFIED',
    status: 422,
    message: 'the webhook host resolves to the unspecified address',
  },
  MULTICAST: {
    code: 'WEBHOOK_URL.MULTICAST',
    status: 422,
    message: 'the webhook host resolves to a multicast address',
  },
  RESERVED: {
    code: 'WEBHOOK_URL.RESERVED',
    status: 422,
    message: 'the webhook host resolves to a reserved address',
  },
});

/** Stable codes of a refused webhook URL. */
export type WebhookUrlRefusal = (typeof WebhookUrlErrors)[keyof typeof WebhookUrlErrors]['code'];

const BY_CODE: ReadonlyMap<string, ErrorSpec> = new Map(
  Object.values(WebhookUrlErrors).map((e) => [e.code, e]),
);

/** The catalogue entry of a refusal code. */
export function webhookUrlError(code: WebhookUrlRefusal): ErrorSpec {
  return BY_CODE.get(code)!;
}
