import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import type { Principal } from '@credit/auth';
import { QuotaBucketName, Quotas } from './quotas';

export const QUOTA_KEY = 'credit:quota';

/**
 * Counts each request of the route against a quota bucket: per token and per department for a caller
 * with a token, per client address on a public route (`@Public()`, `/public/v1/*`). 429 with
 * `Retry-After` when used up. Runs after the auth guard (it needs the principal).
 */
export const Quota = (bucket: QuotaBucketName) => SetMetadata(QUOTA_KEY, bucket);

@Injectable()
export class QuotaInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly quotas: Quotas,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const bucket = this.reflector.get<QuotaBucketName | undefined>(QUOTA_KEY, context.getHandler());
    if (bucket) {
      const request = context.switchToHttp().getRequest<{ principal?: Principal; ip: string }>();
      if (request.principal) this.quotas.bucket(bucket).charge(request.principal);
      else this.quotas.bucket(bucket).chargeClient(request.ip);
    }
    return next.handle();
  }
}
