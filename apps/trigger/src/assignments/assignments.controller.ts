import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, isSupervisor, Principal, Roles } from '@credit/auth';
import { unprocessable } from '@credit/platform';
import { AssignmentQueries, AssignmentQueryDto } from './assignment.queries';
import { RecordsAccess } from '@credit/messaging';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('v1/assignments')
export class AssignmentsController {
  constructor(private readonly queries: AssignmentQueries) {}

  /**
   * Who may read the entry reads its assignments (decision 0020): supervisors every entry's of their region
   * (all without a region claim), the owner and the subject the entry's; any other caller only its own
   * department's assignments on an entry it may read (class A). 404 for an entry the caller may not read.
   */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('initiator', 'supervisor', 'subject')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AssignmentQueryDto) {
    const supervisor = isSupervisor(principal);
    if (!supervisor && !query.entryId) {
      throw unprocessable(
        'ASSIGNMENT.ENTRY_REQUIRED',
        'an initiator must name the entry (entryId)',
        'entryId',
      );
    }
    return this.queries.readableBy(principal, query);
  }
}
