import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RequestValidationError, ValidationErrors } from '@credit/platform';
import { AssignmentStream, parsePosition } from './assignment-stream';
import { StreamQueryDto } from './deliveries.dto';

@ApiTags('delivery')
@ApiBearerAuth()
@Controller('v1')
export class AssignmentStreamController {
  constructor(private readonly stream: AssignmentStream) {}

  @Get('stream')
  @Roles('implementer', 'system')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event' })
  @ApiOperation({
    summary: "Server-sent events: the caller's department's assignment events as they happen",
    description:
      'Each event: `id:` (to resume with Last-Event-ID), `event:` the CloudEvents type, `data:` the ' +
      'CloudEvent. At least once: a client dedupes by the CloudEvent id. A comment every 15 s keeps it open.',
  })
  async open(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const resume = parsePosition(lastEventId ?? query.lastEventId);
    if (resume === null) {
      throw new RequestValidationError([
        {
          field: 'lastEventId',
          code: ValidationErrors.EVENT_ID.code,
          message: 'Last-Event-ID is not an id of this stream',
        },
      ]);
    }
    const from = resume ?? (await this.stream.tail());
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-correlation-id': String(request.id),
    });
    reply.raw.write('retry: 3000\n: connected\n\n');
    this.stream.follow(principal, from, reply.raw); // records each subject streamed (decision 0021)
  }
}
