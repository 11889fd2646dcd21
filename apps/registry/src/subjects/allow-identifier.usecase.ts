import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { validateUscc } from '@credit/identifiers';
import { DomainError } from '@credit/platform';
import { identifierError } from './identifier.errors';
import { IdentifierAllowListRepository } from './identifier-allow-list.repository';

/**
 * An admin admits an early pilot code that fails the checksum; subjects with it are flagged `pilot`. The
 * code must still be a unified code in every other respect; 409 when it is listed already.
 */
@Injectable()
export class AllowIdentifierUseCase {
  constructor(private readonly allowListed: IdentifierAllowListRepository) {}

  async execute(principal: Principal, code: string, note: string) {
    const structural = validateUscc(code, { allowList: new Set([code]) });
    if (!structural.ok) {
      throw new DomainError({
        error: identifierError(structural.code),
        detail: structural.message,
        field: 'code',
      });
    }
    await this.allowListed.add(code, note, principal.sub);
    return { code, note };
  }
}
