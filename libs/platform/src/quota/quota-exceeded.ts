import { DomainError } from '../domain-error';

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
    super(
      'QUOTA.EXCEEDED',
      429,
      `too many ${bucket} for ${WHO[scope]}: at most ${limit} in ${windowSeconds} s; try again in ${retryAfterSeconds} s`,
      undefined,
      { quota: bucket, scope, limit, windowSeconds, retryAfter: retryAfterSeconds },
    );
  }
}
