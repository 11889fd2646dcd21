import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { BatchAcknowledgeDto, FeedbackDto, InboxQueryDto } from './inbox.dto';
import { InboxQueries } from './inbox.queries';
import { RecordFeedbackUseCase } from './record-feedback.usecase';
import { AcknowledgeAssignmentsUseCase } from './acknowledge-assignments.usecase';
import { RecordsAccess } from '@credit/messaging';

const uuid = uuidParam('id');

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('v1')
export class InboxController {
  constructor(
    private readonly queries: InboxQueries,
    private readonly feedback: RecordFeedbackUseCase,
    private readonly acknowledgeAssignments: AcknowledgeAssignmentsUseCase,
  ) {}

  /** The caller's department's assignments, and only those. */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('inbox')
  @Roles('implementer', 'system')
  inbox(@CurrentPrincipal() principal: Principal, @Query() query: InboxQueryDto) {
    return this.queries.ofDepartment(principal.dept, query);
  }

  /** Acknowledges many at once; each id answers for itself (one refused does not stop the others). */
  @Post('assignments/ack')
  @HttpCode(200)
  @Roles('implementer', 'system')
  async ackMany(@CurrentPrincipal() principal: Principal, @Body() body: BatchAcknowledgeDto) {
    return { items: await this.acknowledgeAssignments.execute(principal, body.ids), nextCursor: null };
  }

  @Post('assignments/:id/ack')
  @HttpCode(200)
  @Roles('implementer', 'system')
  ack(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.feedback.execute(principal, id, { command: 'acknowledge' });
  }

  @Post('assignments/:id/feedback')
  @HttpCode(200)
  @Roles('implementer', 'system')
  report(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() body: FeedbackDto) {
    return this.feedback.execute(
      principal,
      id,
      body.outcome === 'enforced'
        ? { command: 'enforce', detail: body.detail, reference: body.reference }
        : { command: 'mark_not_applicable', detail: body.detail },
    );
  }

  @Post('assignments/:id/lift-confirmation')
  @HttpCode(200)
  @Roles('implementer', 'system')
  confirmLift(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.feedback.execute(principal, id, { command: 'confirm_lift' });
  }
}
