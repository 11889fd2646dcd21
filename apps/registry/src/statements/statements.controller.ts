import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { uuidParam } from '@credit/platform';
import { AnswerStatementDto, FileStatementDto, StatementQueryDto } from './statement.dto';
import { StatementQueries } from './statement.queries';
import { AnswerStatementUseCase } from './answer-statement.usecase';
import { FileStatementUseCase } from './file-statement.usecase';

const uuid = uuidParam('id');

@ApiTags('statements')
@ApiBearerAuth()
@Controller('v1')
export class StatementsController {
  constructor(
    private readonly queries: StatementQueries,
    private readonly fileStatement: FileStatementUseCase,
    private readonly answerStatement: AnswerStatementUseCase,
  ) {}

  /** 陈述申辩 during the statement period → 201 with the receipt number. */
  @Post('list-entries/:id/statements')
  @HttpCode(201)
  @Roles('subject', 'credit_office', 'initiator')
  file(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: FileStatementDto,
  ) {
    return this.fileStatement.execute(principal, id, body);
  }

  /** The owner's answer; an accepted statement ends the entry revoked or corrected. */
  @Post('statements/:id/answer')
  @HttpCode(200)
  @Roles('initiator')
  answer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AnswerStatementDto,
  ) {
    return this.answerStatement.execute(principal, id, body);
  }

  /**
   * The department's statements (a supervisor: all, or its region's), oldest first, each with its entry's
   * subject and statement deadline: the owner's work list for answering them (the console's 陈述申辩 tab).
   * Keyset cursor on (received time, id).
   */
  @RecordsAccess()
  @Get('statements')
  @Roles('initiator', 'supervisor')
  async listForOwner(@CurrentPrincipal() principal: Principal, @Query() query: StatementQueryDto) {
    return this.queries.ofOwner(principal, query);
  }

  /** One statement: for the party it was filed for (403 to other subjects), and the owner. */
  @RecordsAccess()
  @Get('statements/:id')
  @Roles('subject', 'initiator', 'supervisor')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.byId(principal, id);
  }

  /** The statements on an entry: for its parties (403 to other subjects), its owner and supervisors. */
  @RecordsAccess()
  @Get('list-entries/:id/statements')
  @Roles('subject', 'initiator', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.onEntry(principal, id);
  }
}
