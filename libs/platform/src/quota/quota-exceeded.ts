import { DomainError } from '../domain-error';
import { PlatformErrors } from '../errors/platform.errors';

export type QuotaScope = 'token' | 'department' | 'client';

const WHO: Record<QuotaScope, string> = {
  token: 'this caller',
  department: 'this department',
  client: 'this client address',
};

/** 429 `QUOTA.EXCEEDED`; the problem details carry `Retry-After` (seconds) as a header and a member. */
export class QuotaExceededError extends DomainError {
  constructor(
    readonly bucket: string,
    readonly scope: QuotaScope,
    readonly limit: number,
    readonly windowSeconds: number,
    readonly retryAfterSeconds: number,
  ) {
    super({
      error: PlatformErrors.QUOTA_EXCEEDED,
      detail: `too many ${bucket} for ${WHO[scope]}: at most ${limit} in ${windowSeconds} s; try again in ${retryAfterSeconds} s`,
      extra: { quota: bucket, scope, limit, windowSeconds, retryAfter: retryAfterSeconds },
    });
  }
}
