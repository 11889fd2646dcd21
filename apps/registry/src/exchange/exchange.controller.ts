import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { decodeCursor, DomainError, encodeCursor, forbidden } from '@credit/platform';
import { EXCHANGE_SCHEMA } from './exchange-document';
import { publicKeyPem, signDocument } from './exchange-signature';
import { EXCHANGE_OPTIONS, ExchangeOptions } from './exchange.options';
import { OutboundQueryDto } from './exchange.dto';
import { ExchangeRepository } from './exchange.repository';
import { ReceiveExchangeDocumentUseCase } from './receive-exchange-document.usecase';

/**
 * 区域联合奖惩 (decision 0035): partner platforms post their signed documents here and pull ours, signed
 * with our key, from a cursor; both with the `system` role of a department registered as a partner.
 */
@ApiTags('exchange')
@ApiBearerAuth()
@Controller('v1/exchange')
export class ExchangeController {
  constructor(
    private readonly exchange: ExchangeRepository,
    @Inject(EXCHANGE_OPTIONS) private readonly options: ExchangeOptions,
    private readonly receive: ReceiveExchangeDocumentUseCase,
  ) {}

  /** A partner's publication or withdrawal: 201 recognised, 200 withdrawn or a replay; refusals store nothing. */
  @Post('inbound')
  @Roles('system')
  @ApiBody({ schema: EXCHANGE_SCHEMA as Record<string, unknown> })
  async inbound(
    @CurrentPrincipal() principal: Principal,
    @Body() envelope: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answer = await this.receive.execute(principal, envelope);
    void reply.status(answer.status);
    return answer.body;
  }

  /** Our documents for the caller's region(s), signed now with our key, after the cursor. */
  @Get('outbound')
  @Roles('system')
  async outbound(@CurrentPrincipal() principal: Principal, @Query() query: OutboundQueryDto) {
    const regions = await this.exchange.regionsOfDept(principal.dept);
    if (regions.length === 0) {
      throw forbidden(
        'EXCHANGE.NOT_A_PARTNER',
        `department ${principal.dept} is not the platform of a registered partner region`,
      );
    }
    const privateKey = this.signingKey();
    const after = query.cursor ? positionOf(query.cursor) : 0;
    // what committed a moment ago is in this answer
    const { items, head } = await this.exchange.outbound(regions, after, query.limit ?? 200);
    const key = { keyId: this.options.keyId, privateKey };
    const last = items.length > 0 ? items[items.length - 1].position : after;
    return {
      items: items.map((i) => ({
        position: i.position,
        partnerRegion: i.region,
        envelope: signDocument(
          {
            ...i.body,
            origin: {
              region: this.options.region,
              platform: this.options.platform,
              entryId: i.body.origin.entryId,
            },
          },
          key,
        ),
      })),
      nextCursor: encodeCursor([String(last)]),
      caughtUp: last >= head,
    };
  }

  private signingKey() {
    if (!this.options.privateKey) {
      throw new DomainError(
        'EXCHANGE.NO_SIGNING_KEY',
        503,
        'no EXCHANGE_SIGNING_KEY is configured: outbound documents are not signed (decision 0035)',
      );
    }
    return this.options.privateKey;
  }

  /** Our public key, for partners to register (and to verify what they pull). */
  @Get('key')
  @Roles('admin', 'system')
  key() {
    return {
      region: this.options.region,
      platform: this.options.platform,
      keyId: this.options.keyId,
      alg: 'Ed25519',
      publicKey: publicKeyPem(this.signingKey()),
      development: !this.options.configuredKey,
    };
  }
}

function positionOf(cursor: string): number {
  const [position] = decodeCursor(cursor);
  const value = Number(position);
  if (!Number.isSafeInteger(value) || value < 0) decodeCursor('!'); // throws the cursor's 400
  return value;
}
