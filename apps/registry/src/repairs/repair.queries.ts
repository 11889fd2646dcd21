import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { scopeToReader } from '../list-entries/list-entry.read-access';
import { documentRefsBy } from '../documents/document-refs';
import { REGISTRY_DB } from '../registry.tokens';
import { RepairApplication } from './repair-application.entity';
import { RepairQueryDto } from './repair.dto';
import { mayReadApplication } from './repair-party';
import { toRepairView } from './repair.view';
import { RepairErrors } from './repair.errors';

const LIMIT = 500;
/** waiting on the owner past the current deadline (accept, or decide) */
const OVERDUE = `((r.status = 'submitted' AND r.accept_deadline < :now)
  OR (r.status = 'accepted' AND r.decide_deadline < :now))`;

/** Reads of repair applications: by id for its parties, lists for the owner and supervisors, the subject's own. */
@Injectable()
export class RepairQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  async get(principal: Principal, id: string, now = new Date()) {
    const application = await this.db.getRepository(RepairApplication).findOneBy({ id });
    const [facts]: { subject_ids: string[]; region: string | null }[] = application
      ? await this.db.query(
          `SELECT array_prepend(e.subject_id, e.subject_legacy_ids) AS subject_ids,
                  (SELECT region FROM registry.departments WHERE code = e.owner_dept) AS region
           FROM registry.list_entries e WHERE e.id = $1`,
          [application.entryId],
        )
      : [];
    if (
      !application ||
      !facts ||
      !mayReadApplication(principal, application, {
        subjectIds: facts.subject_ids,
        ownerRegion: facts.region,
      })
    ) {
      throw new DomainError({
        error: RepairErrors.NOT_FOUND,
        detail: `repair application ${id} does not exist`,
      });
    }
    return toRepairView(application, now, (await this.documentsOf([application.id])).get(application.id));
  }

  /** The caller's department's applications (a supervisor: its region's); `overdue=true`: the late ones. */
  async list(principal: Principal, query: RepairQueryDto, now = new Date()) {
    const qb = this.db
      .getRepository(RepairApplication)
      .createQueryBuilder('r')
      .orderBy('r.submitted_at', 'ASC')
      .limit(LIMIT);
    scopeToReader(qb, 'r.owner_dept', principal);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.entryId) qb.andWhere('r.entry_id = :entryId', { entryId: query.entryId });
    if (query.overdue === 'true') qb.andWhere(OVERDUE, { now });
    return { items: (await qb.getMany()).map((r) => toRepairView(r, now)), nextCursor: null };
  }

  /** The subject's own applications, on any of its identifiers. */
  async mine(principal: Principal, now = new Date()) {
    const items = await this.db
      .getRepository(RepairApplication)
      .createQueryBuilder('r')
      .where(
        `r.subject_id = :sub OR r.entry_id IN
          (SELECT id FROM registry.list_entries WHERE :sub = ANY (subject_legacy_ids))`,
        { sub: principal.sub },
      )
      .orderBy('r.submitted_at', 'DESC')
      .limit(LIMIT)
      .getMany();
    const documents = await this.documentsOf(items.map((r) => r.id));
    return { items: items.map((r) => toRepairView(r, now, documents.get(r.id))), nextCursor: null };
  }

  private documentsOf(ids: string[]) {
    return documentRefsBy(this.db, 'application', ids);
  }
}
