import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ListTypeErrors } from '../list-types/list-type.errors';
import { CreateAgreementDto } from './exchange.dto';
import { ExchangeErrors } from './exchange.errors';
import { ExchangeRepository } from './exchange.repository';

/**
 * An admin records an agreement of 区域联合奖惩 (decision 0035): inbound, mapping a partner's list type
 * onto ours and the measures it takes; outbound, naming our list type and the receiving region. The
 * partner region and our list type must exist.
 */
@Injectable()
export class CreateAgreementUseCase {
  constructor(private readonly exchange: ExchangeRepository) {}

  async execute(principal: Principal, body: CreateAgreementDto, now = new Date()) {
    if (body.direction === 'inbound' && !body.theirListType) {
      throw new DomainError({
        error: ExchangeErrors.AGREEMENT_INVALID,
        detail: "an inbound agreement names the partner's list type",
        field: 'theirListType',
      });
    }
    if (body.direction === 'outbound' && (body.theirListType || body.measures?.length)) {
      throw new DomainError({
        error: ExchangeErrors.AGREEMENT_INVALID,
        detail: 'an outbound agreement names our list type and the receiving region only',
        field: body.theirListType ? 'theirListType' : 'measures',
      });
    }
    if (body.effectiveTo && body.effectiveTo < body.effectiveFrom) {
      throw new DomainError({
        error: ExchangeErrors.AGREEMENT_INVALID,
        detail: 'effectiveTo is before effectiveFrom',
        field: 'effectiveTo',
      });
    }
    if (!(await this.exchange.regionRegistered(body.partnerRegion))) {
      throw new DomainError({
        error: ExchangeErrors.UNKNOWN_PARTNER_REGION,
        detail: `no partner platform of region ${body.partnerRegion} is registered`,
        field: 'partnerRegion',
      });
    }
    if (!(await this.exchange.listTypeExists(body.ourListType))) {
      throw new DomainError({
        error: ListTypeErrors.NOT_FOUND_IN_REQUEST,
        detail: `list type ${body.ourListType} does not exist`,
        field: 'ourListType',
      });
    }
    return this.exchange.insertAgreement(
      {
        id: randomUUID(),
        direction: body.direction,
        partnerRegion: body.partnerRegion,
        theirListType: body.theirListType ?? null,
        ourListType: body.ourListType,
        measures: [...new Set(body.measures ?? [])],
        effectiveFrom: body.effectiveFrom,
        effectiveTo: body.effectiveTo ?? null,
      },
      principal.sub,
      now,
    );
  }
}
