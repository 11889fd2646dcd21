import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AddressClass, classifyAddress } from './address-class';
import { WebhookUrlErrors, WebhookUrlRefusal } from './webhook-url.errors';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address of a host name (the system resolver: /etc/hosts, then DNS). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export interface WebhookUrlPolicy {
  /** Plain `http` only where NODE_ENV is development or test. */
  allowPlainHttp: boolean;
  /** Whether an admin allow-listed this host (as `webhookHost` writes it). */
  isAllowListed(host: string): boolean | Promise<boolean>;
  resolve?: Resolver;
}

/** `address`: where to connect (pinned); absent only for an allow-listed host that does not resolve now. */
export type WebhookUrlVerdict =
  | { ok: true; url: URL; host: string; address?: ResolvedAddress }
  | { ok: false; code: WebhookUrlRefusal; message: string };

const CLASS_REFUSAL: Record<Exclude<AddressClass, 'public'>, [WebhookUrlRefusal, string]> = {
  loopback: [WebhookUrlErrors.LOOPBACK.code, 'a loopback address'],
  private: [WebhookUrlErrors.PRIVATE.code, 'a private network address'],
  link_local: [WebhookUrlErrors.LINK_LOCAL.code, 'a link-local address'],
  unspecified: [WebhookUrlErrors.UNSPECIFIED.code, 'the unspecified address'],
  multicast: [WebhookUrlErrors.MULTICAST.code, 'a multicast address'],
  reserved: [WebhookUrlErrors.RESERVED.code, 'a reserved address'],
};

const RESOLVE_TIMEOUT_MS = 5_000;

/** The system resolver, every address, bounded in time. */
export const systemResolver: Resolver = (host) => {
  let timer: NodeJS.Timeout;
  return Promise.race([
    lookup(host, { all: true, verbatim: true }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('DNS lookup timed out')), RESOLVE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
};

/** A URL's host as the allow-list holds it: lower case, no brackets around IPv6, no trailing dot. */
export function webhookHost(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** Normalises a host an admin types (a name or an address, no scheme or port). */
export function normalizeWebhookHost(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!trimmed || /[/?#@\s]/.test(trimmed)) return undefined;
  try {
    const url = new URL(`https://${isIP(trimmed) === 6 ? `[${trimmed}]` : trimmed}/`);
    if (url.port) return undefined;
    return webhookHost(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether a department's webhook URL may be called (API.md "Webhook URLs"): https (http only in
 * development and test), no credentials in it, and a host that resolves, and only to public addresses,
 * unless an admin allow-listed it. The verdict names
 * the address to connect to: the caller pins it for the request, so a DNS answer that changes between
 * this check and the connection (rebinding) cannot lead it elsewhere. Messages never show the resolved
 * addresses (our DNS view is internal).
 */
export async function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): Promise<WebhookUrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse(WebhookUrlErrors.INVALID.code, 'the webhook URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(WebhookUrlErrors.INVALID.code, 'the webhook URL must be https');
  }
  if (url.username || url.password) {
    return refuse(WebhookUrlErrors.INVALID.code, 'the webhook URL must not hold credentials');
  }
  if (url.protocol === 'http:' && !policy.allowPlainHttp) {
    return refuse(WebhookUrlErrors.HTTPS_REQUIRED.code, 'the webhook URL must be https');
  }
  const host = webhookHost(url);
  const allowListed = await policy.isAllowListed(host);
  let addresses: ResolvedAddress[];
  const family = isIP(host);
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      // an admin may admit a name that resolves only where it is used (a department's internal DNS)
      if (allowListed) return { ok: true, url, host };
      return refuse(WebhookUrlErrors.UNRESOLVABLE.code, `the webhook host ${host} does not resolve`);
    }
  }
  if (!allowListed) {
    for (const { address } of addresses) {
      const klass = classifyAddress(address);
      if (klass === 'public') continue;
      const [code, what] = CLASS_REFUSAL[klass];
      return refuse(
        code,
        family !== 0
          ? `the webhook host is ${what}; an admin must allow-list it first`
          : `the webhook host ${host} resolves to ${what}; an admin must allow-list it first`,
      );
    }
  }
  return { ok: true, url, host, address: addresses[0] };
}

function refuse(code: WebhookUrlRefusal, message: string): WebhookUrlVerdict {
  return { ok: false, code, message };
}
