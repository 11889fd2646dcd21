import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { conflict, notFound, unprocessable } from '@credit/platform';
import { ed25519PublicKey } from './exchange-signature';
import { CreateAgreementDto, RegisterPartnerDto, UpdatePartnerDto } from './exchange.dto';
import { ExchangeRepository } from './exchange.repository';

/** The admin's registers of 区域联合奖惩 (decision 0035): partner platforms with their keys, and agreements. */
@ApiTags('exchange')
@ApiBearerAuth()
@Controller('v1/exchange')
export class ExchangeRegistersController {
  constructor(private readonly exchange: ExchangeRepository) {}

  @Post('partners')
  @Roles('admin')
  async registerPartner(@CurrentPrincipal() principal: Principal, @Body() body: RegisterPartnerDto) {
    if (!ed25519PublicKey(body.publicKey)) {
      throw unprocessable(
        'EXCHANGE.KEY_INVALID',
        'publicKey must be an Ed25519 public key in PEM (SPKI)',
        'publicKey',
      );
    }
    if (!(await this.exchange.departmentExists(body.dept))) {
      throw unprocessable('EXCHANGE.UNKNOWN_DEPARTMENT', `department ${body.dept} is not registered`, 'dept');
    }
    const partner = await this.exchange.insertPartner(
      { ...body, publicKey: body.publicKey.trim(), active: body.active ?? true },
      principal.sub,
      new Date(),
    );
    if (!partner) throw conflict('EXCHANGE.KEY_EXISTS', `key ${body.keyId} is already registered`);
    return partner;
  }

  @Get('partners')
  @Roles('admin')
  async partners() {
    return { items: await this.exchange.partners(), nextCursor: null };
  }

  @Put('partners/:keyId')
  @Roles('admin')
  async updatePartner(@Param('keyId') keyId: string, @Body() body: UpdatePartnerDto) {
    const partner = await this.exchange.setPartnerActive(keyId, body.active, new Date());
    if (!partner) throw notFound('EXCHANGE.PARTNER_NOT_FOUND', `no partner key ${keyId} is registered`);
    return partner;
  }

  @Post('agreements')
  @Roles('admin')
  async createAgreement(@CurrentPrincipal() principal: Principal, @Body() body: CreateAgreementDto) {
    if (body.direction === 'inbound' && !body.theirListType) {
      throw unprocessable(
        'EXCHANGE.AGREEMENT_INVALID',
        "an inbound agreement names the partner's list type",
        'theirListType',
      );
    }
    if (body.direction === 'outbound' && (body.theirListType || body.measures?.length)) {
      throw unprocessable(
        'EXCHANGE.AGREEMENT_INVALID',
        'an outbound agreement names our list type and the receiving region only',
        body.theirListType ? 'theirListType' : 'measures',
      );
    }
    if (body.effectiveTo && body.effectiveTo < body.effectiveFrom) {
      throw unprocessable('EXCHANGE.AGREEMENT_INVALID', 'effectiveTo is before effectiveFrom', 'effectiveTo');
    }
    if (!(await this.exchange.regionRegistered(body.partnerRegion))) {
      throw unprocessable(
        'EXCHANGE.UNKNOWN_PARTNER_REGION',
        `no partner platform of region ${body.partnerRegion} is registered`,
        'partnerRegion',
      );
    }
    if (!(await this.exchange.listTypeExists(body.ourListType))) {
      throw unprocessable(
        'LIST_TYPE.NOT_FOUND',
        `list type ${body.ourListType} does not exist`,
        'ourListType',
      );
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
      new Date(),
    );
  }

  @Get('agreements')
  @Roles('admin')
  async agreements() {
    return { items: await this.exchange.agreements(), nextCursor: null };
  }
}
