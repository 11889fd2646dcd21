import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from '@credit/platform';
import { DeliveryFailures } from './delivery.errors';

/** Why a POST failed, as the department sees it: a stable code and our own short message. */
export interface PostFailure {
  code: string;
  message: string;
  /** for our logs only (may hold internal addresses) */
  internal: string;
}

/**
 * POSTs `body` to `url` connecting to `address` only — the address the URL policy checked — whatever DNS
 * says by now: the request's own `lookup` answers with it, so a name rebound to an internal address after
 * the check cannot redirect the connection. TLS still verifies the certificate against the URL's host
 * name (SNI and the check use the name, not the address). No redirects are followed; no connection is
 * kept (each delivery checks and connects anew).
 */
export function postPinned(
  url: URL,
  address: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number } | PostFailure> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    agent: false,
    lookup,
  };
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: { status: number } | PostFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume(); // the answer's body is not read
      done({ status: res.statusCode ?? 0 });
    });
    const timer = setTimeout(() => {
      done({
        code: DeliveryFailures.TIMEOUT.code,
        message: `no answer within ${timeoutMs} ms`,
        internal: 'timeout',
      });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done(failureOf(err)));
    req.end(body);
  });
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_CERT)/;

function failureOf(err: NodeJS.ErrnoException): PostFailure {
  const internal = `${err.code ?? ''} ${err.message}`.trim();
  if (err.code === 'ECONNREFUSED') {
    return {
      code: DeliveryFailures.CONNECTION_REFUSED.code,
      message: 'the endpoint refused the connection',
      internal,
    };
  }
  if (err.code && TLS_CODES.test(err.code)) {
    return {
      code: DeliveryFailures.TLS.code,
      message: 'the TLS handshake with the endpoint failed (is its certificate valid for its host name?)',
      internal,
    };
  }
  return {
    code: DeliveryFailures.CONNECTION_FAILED.code,
    message: 'the connection to the endpoint failed',
    internal,
  };
}
