import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { forbidden, notFound } from '@credit/platform';
import { mayReadDepartmentRecord } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { ImportJob, toImportView } from './import-job.entity';

/** 批量导入: an import's progress and report, for its department and the supervisors of its region. */
@Injectable()
export class ImportQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /** One import; 404 when it does not exist, 403 for a caller that may not read its department's records. */
  async readableBy(principal: Principal, id: string) {
    const job = await this.db.getRepository(ImportJob).findOneBy({ id });
    if (!job) throw notFound('IMPORT.NOT_FOUND', `import ${id} does not exist`);
    if (!(await mayReadDepartmentRecord(this.db, principal, job.ownerDept))) {
      throw forbidden(
        'LIST_ENTRY.NOT_OWNER',
        `only the owning department ${job.ownerDept} may see this import`,
      );
    }
    return toImportView(job);
  }
}
