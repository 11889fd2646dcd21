import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { codePage, codePageOf, PageQueryDto } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { Department } from './department.entity';
import { RegisterDepartmentDto } from './department.dto';

/** 部门: the stored departments; a registration runs in its use case's transaction. */
@Injectable()
export class DepartmentRepository {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /** Inserts a new department in the caller's transaction; undefined when its code is taken. */
  async insertIfNew(manager: EntityManager, body: RegisterDepartmentDto): Promise<Department | undefined> {
    const repo = manager.getRepository(Department);
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({
        code: body.code,
        name: body.name,
        region: body.region,
        supervising: body.supervising ?? false,
        externalPlatform: body.externalPlatform ?? false,
      })
      .orIgnore()
      .returning('*')
      .execute();
    if (inserted.raw.length === 0) return undefined;
    return repo.findOneByOrFail({ code: body.code });
  }

  /** Departments by code, a page at a time. */
  async page(query: PageQueryDto) {
    const page = codePageOf(query);
    const rows = await this.db.getRepository(Department).find({
      where: page.after !== undefined ? { code: MoreThan(page.after) } : {},
      order: { code: 'ASC' },
      take: page.take,
    });
    return codePage(rows, page, (d) => d.code, toDepartmentView);
  }
}

export function toDepartmentView(d: Department) {
  return {
    code: d.code,
    name: d.name,
    region: d.region,
    supervising: d.supervising,
    externalPlatform: d.externalPlatform,
    createdAt: d.createdAt.toISOString(),
  };
}
