import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { normaliseIdentifier } from '../list-entries/list-entry.party-access';
import { SubjectRecordQuery } from './subject-record.query';

@ApiTags('record')
@ApiBearerAuth()
@Controller('v1')
export class RecordController {
  constructor(private readonly records: SubjectRecordQuery) {}

  /** The caller's own record: its entries of any status, what it may do next, the measures against it. */
  @Get('me/record')
  @Roles('subject')
  mine(@CurrentPrincipal() principal: Principal) {
    return this.records.recordOf(principal.sub);
  }

  /** A subject's record at the credit office's counter (the read goes to the subject's access log). */
  @RecordsAccess()
  @Get('subjects/:identifier/record')
  @Roles('credit_office', 'supervisor')
  forCounter(@Param('identifier') identifier: string) {
    return this.records.recordOf(normaliseIdentifier(identifier));
  }
}
