import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ed25519PublicKey } from './exchange-signature';
import { RegisterPartnerDto } from './exchange.dto';
import { ExchangeErrors } from './exchange.errors';
import { ExchangeRepository } from './exchange.repository';

/**
 * An admin registers a partner platform's key (decision 0035): an Ed25519 public key, for a registered
 * department (the partner's system signs in as it); 409 when the key id is taken.
 */
@Injectable()
export class RegisterPartnerUseCase {
  constructor(private readonly exchange: ExchangeRepository) {}

  async execute(principal: Principal, body: RegisterPartnerDto, now = new Date()) {
    if (!ed25519PublicKey(body.publicKey)) {
      throw new DomainError({
        error: ExchangeErrors.KEY_INVALID,
        detail: 'publicKey must be an Ed25519 public key in PEM (SPKI)',
        field: 'publicKey',
      });
    }
    if (!(await this.exchange.departmentExists(body.dept))) {
      throw new DomainError({
        error: ExchangeErrors.UNKNOWN_DEPARTMENT,
        detail: `department ${body.dept} is not registered`,
        field: 'dept',
      });
    }
    const partner = await this.exchange.insertPartner(
      { ...body, publicKey: body.publicKey.trim(), active: body.active ?? true },
      principal.sub,
      now,
    );
    if (!partner)
      throw new DomainError({
        error: ExchangeErrors.KEY_EXISTS,
        detail: `key ${body.keyId} is already registered`,
      });
    return partner;
  }
}
