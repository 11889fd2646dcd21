import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { WebhookHostAllowList } from './webhook-policy';
import { AllowWebhookHostUseCase } from './allow-webhook-host.usecase';
import { DisallowWebhookHostUseCase } from './disallow-webhook-host.usecase';

class AllowWebhookHostDto {
  @ApiProperty({
    example: 'hooks.finance.internal',
    description: 'a host name or IP address (no scheme, port or path)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(253)
  host!: string;

  @ApiProperty({ example: '财政局内网接收端，经网络安全审批' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note!: string;
}

/** Hosts an admin admits as webhook endpoints although they are loopback, private or link-local. */
@ApiTags('delivery')
@ApiBearerAuth()
@Controller('v1/webhook-host-allow-list')
export class WebhookHostAllowListController {
  constructor(
    private readonly allowList: WebhookHostAllowList,
    private readonly allowHost: AllowWebhookHostUseCase,
    private readonly disallowHost: DisallowWebhookHostUseCase,
  ) {}

  @Get()
  @Roles('admin', 'supervisor')
  async list() {
    return { items: await this.allowList.list(), nextCursor: null };
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({
    summary: 'Admits a webhook host the URL policy would refuse (loopback, private, link-local)',
    description:
      'Checked again at every delivery; trigger accepts registrations with this host within seconds ' +
      '(it learns the change from `credit.webhook-hosts`).',
  })
  add(@CurrentPrincipal() principal: Principal, @Body() body: AllowWebhookHostDto) {
    return this.allowHost.execute(principal, body.host, body.note);
  }

  @Delete(':host')
  @HttpCode(204)
  @Roles('admin')
  async remove(@CurrentPrincipal() principal: Principal, @Param('host') host: string) {
    await this.disallowHost.execute(principal, host);
  }
}
