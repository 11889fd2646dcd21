import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUrl, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { DELIVERY_CHANNELS, DeliveryChannel } from '@credit/contracts';
import { Subscription } from './subscription.entity';
import { SubscriptionRepository } from './subscription.repository';
import { SubscribeToMeasureUseCase } from './subscribe-to-measure.usecase';
import { UnsubscribeFromMeasureUseCase } from './unsubscribe-from-measure.usecase';

class SubscribeDto {
  @ApiProperty({ enum: DELIVERY_CHANNELS, description: 'pull from the inbox, webhook push, or a stream' })
  @IsIn(DELIVERY_CHANNELS)
  channel!: DeliveryChannel;

  @ApiPropertyOptional({ example: 'https://zfcg.hangzhou.gov.cn/credit/hooks' })
  @ValidateIf((o: SubscribeDto) => o.channel === 'webhook' || o.webhookUrl !== undefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  webhookUrl?: string;
}

function toView(s: Subscription) {
  return {
    dept: s.dept,
    measureCode: s.measureCode,
    channel: s.channel,
    webhookUrl: s.webhookUrl,
    updatedAt: s.updatedAt.toISOString(),
  };
}

/**
 * 订阅: an implementing department accepts the measures it implements and says how it receives them.
 * A department without a subscription still gets its assignments (pull), marked unsubscribed.
 */
@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly subscribeToMeasure: SubscribeToMeasureUseCase,
    private readonly unsubscribeFromMeasure: UnsubscribeFromMeasureUseCase,
  ) {}

  @Get()
  @Roles('implementer', 'system', 'supervisor', 'admin')
  async list(@CurrentPrincipal() principal: Principal) {
    const items = await this.subscriptions.readableBy(principal);
    return { items: items.map(toView), nextCursor: null };
  }

  @Put(':measureCode')
  @Roles('implementer', 'system')
  async subscribe(
    @CurrentPrincipal() principal: Principal,
    @Param('measureCode') measureCode: string,
    @Body() body: SubscribeDto,
  ) {
    const saved = await this.subscribeToMeasure.execute(principal, measureCode, body);
    return toView(saved);
  }

  @Delete(':measureCode')
  @HttpCode(204)
  @Roles('implementer', 'system')
  async unsubscribe(@CurrentPrincipal() principal: Principal, @Param('measureCode') measureCode: string) {
    await this.unsubscribeFromMeasure.execute(principal, measureCode);
  }
}
