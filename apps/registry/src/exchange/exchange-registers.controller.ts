import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { CreateAgreementDto, RegisterPartnerDto, UpdatePartnerDto } from './exchange.dto';
import { ExchangeRepository } from './exchange.repository';
import { CreateAgreementUseCase } from './create-agreement.usecase';
import { RegisterPartnerUseCase } from './register-partner.usecase';
import { SetPartnerActiveUseCase } from './set-partner-active.usecase';

/** The admin's registers of 区域联合奖惩 (decision 0035): partner platforms with their keys, and agreements. */
@ApiTags('exchange')
@ApiBearerAuth()
@Controller('v1/exchange')
export class ExchangeRegistersController {
  constructor(
    private readonly exchange: ExchangeRepository,
    private readonly registerPartnerKey: RegisterPartnerUseCase,
    private readonly setPartnerActive: SetPartnerActiveUseCase,
    private readonly createAgreementOf: CreateAgreementUseCase,
  ) {}

  @Post('partners')
  @Roles('admin')
  registerPartner(@CurrentPrincipal() principal: Principal, @Body() body: RegisterPartnerDto) {
    return this.registerPartnerKey.execute(principal, body);
  }

  @Get('partners')
  @Roles('admin')
  async partners() {
    return { items: await this.exchange.partners(), nextCursor: null };
  }

  @Put('partners/:keyId')
  @Roles('admin')
  updatePartner(@Param('keyId') keyId: string, @Body() body: UpdatePartnerDto) {
    return this.setPartnerActive.execute(keyId, body.active);
  }

  @Post('agreements')
  @Roles('admin')
  createAgreement(@CurrentPrincipal() principal: Principal, @Body() body: CreateAgreementDto) {
    return this.createAgreementOf.execute(principal, body);
  }

  @Get('agreements')
  @Roles('admin')
  async agreements() {
    return { items: await this.exchange.agreements(), nextCursor: null };
  }
}
