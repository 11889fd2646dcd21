import { Injectable } from '@nestjs/common';
import { DomainError } from '@credit/platform';
import { ExchangeErrors } from './exchange.errors';
import { ExchangeRepository } from './exchange.repository';

/** An admin turns a partner's key on or off (a key off is refused at once); 404 for an unknown key. */
@Injectable()
export class SetPartnerActiveUseCase {
  constructor(private readonly exchange: ExchangeRepository) {}

  async execute(keyId: string, active: boolean, now = new Date()) {
    const partner = await this.exchange.setPartnerActive(keyId, active, now);
    if (!partner)
      throw new DomainError({
        error: ExchangeErrors.PARTNER_NOT_FOUND,
        detail: `no partner key ${keyId} is registered`,
      });
    return partner;
  }
}
