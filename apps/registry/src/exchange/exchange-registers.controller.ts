import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { conflict, notFound, unprocessable } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { ed25519PublicKey } from './exchange-signature';
import { CreateAgreementDto, RegisterPartnerDto, UpdatePartnerDto } from './exchange.dto';
import {
  insertAgreement,
  insertPartner,
  listAgreements,
  listPartners,
  regionRegistered,
  setPartnerActive,
} from './exchange.store';

/** The admin's registers of 区域联合奖惩 (decision 0035): partner platforms with their keys, and agreements. */
@ApiTags('exchange')
@ApiBearerAuth()
@Controller('v1/exchange')
export class ExchangeRegistersController {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

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
    if (!(await this.db.getRepository(Department).existsBy({ code: body.dept }))) {
      throw unprocessable('EXCHANGE.UNKNOWN_DEPARTMENT', `department ${body.dept} is not registered`, 'dept');
    }
    const partner = await insertPartner(
      this.db,
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
    return { items: await listPartners(this.db), nextCursor: null };
  }

  @Put('partners/:keyId')
  @Roles('admin')
  async updatePartner(@Param('keyId') keyId: string, @Body() body: UpdatePartnerDto) {
    const partner = await setPartnerActive(this.db, keyId, body.active, new Date());
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
    if (!(await regionRegistered(this.db, body.partnerRegion))) {
      throw unprocessable(
        'EXCHANGE.UNKNOWN_PARTNER_REGION',
        `no partner platform of region ${body.partnerRegion} is registered`,
        'partnerRegion',
      );
    }
    if (!(await this.db.getRepository(ListType).existsBy({ code: body.ourListType }))) {
      throw unprocessable(
        'LIST_TYPE.NOT_FOUND',
        `list type ${body.ourListType} does not exist`,
        'ourListType',
      );
    }
    return insertAgreement(
      this.db,
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
    return { items: await listAgreements(this.db), nextCursor: null };
  }
}
