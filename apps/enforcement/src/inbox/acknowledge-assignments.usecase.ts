import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { RecordFeedbackUseCase } from './record-feedback.usecase';

export type AcknowledgedItem =
  { id: string; status: string } | { id: string; error: { code: string; status: number; detail: string } };

/**
 * Acknowledges many assignments at once, each id once and in its own transaction: each answers for itself
 * (its status, or the refusal a single acknowledgement would get), one refused does not stop the others.
 * Each is dated when it commits, as a single acknowledgement is.
 */
@Injectable()
export class AcknowledgeAssignmentsUseCase {
  constructor(private readonly feedback: RecordFeedbackUseCase) {}

  async execute(principal: Principal, ids: string[]): Promise<AcknowledgedItem[]> {
    const items: AcknowledgedItem[] = [];
    for (const id of [...new Set(ids)]) {
      try {
        const view = await this.feedback.execute(principal, id, { command: 'acknowledge' });
        items.push({ id, status: view.status });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        items.push({ id, error: { code: err.code, status: err.status, detail: err.message } });
      }
    }
    return items;
  }
}
