import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { DeliveryErrors } from './delivery.errors';
import { WebhookSecrets } from './webhook-secrets';

/**
 * Rotates a department's webhook signing secret and shows the new one (only this once): the caller's own,
 * or, for an admin, another department's. The old secret stops at once.
 */
@Injectable()
export class RotateWebhookSecretUseCase {
  constructor(private readonly secrets: WebhookSecrets) {}

  execute(principal: Principal, dept = principal.dept) {
    if (dept !== principal.dept && !principal.roles.includes('admin')) {
      throw new DomainError({
        error: DeliveryErrors.WEBHOOK_SECRET_OTHER_DEPARTMENT,
        detail: "only an admin rotates another department's secret",
      });
    }
    return this.secrets.rotate(dept);
  }
}
