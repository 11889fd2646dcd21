import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError, RequestValidationError, ValidationErrors } from '@credit/platform';
import { assertDeptInScope } from '../access/region-scope';
import { StatsQueryDto } from '../stats/stats.dto';
import { TRACKING_DB } from '../tracking.tokens';
import { Assessment, AssessmentReport } from './assessment';
import { AssessmentErrors } from './assessment.errors';

/**
 * 考核报表 for one reader: supervisors read any department's (of their region); a department's own
 * implementers, systems and initiators read its own.
 */
@Injectable()
export class AssessmentQueries {
  constructor(
    private readonly report: AssessmentReport,
    @Inject(TRACKING_DB) private readonly db: DataSource,
  ) {}

  async forReader(principal: Principal, query: StatsQueryDto): Promise<Assessment> {
    if (!query.dept) {
      throw new RequestValidationError([
        {
          field: 'dept',
          code: ValidationErrors.REQUIRED.code,
          message: 'dept is required: the department assessed',
        },
      ]);
    }
    if (!principal.roles.includes('supervisor') && principal.dept !== query.dept) {
      throw new DomainError({
        error: AssessmentErrors.OTHER_DEPARTMENT,
        detail: "only supervisors read another department's assessment",
      });
    }
    if (principal.dept !== query.dept) await assertDeptInScope(this.db, principal, query.dept);
    return this.report.build(query.dept, query.from, query.to);
  }
}
