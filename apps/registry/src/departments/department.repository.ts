import { Inject, Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { DepartmentRegisteredV1, EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { codePage, codePageOf, conflict, PageQueryDto } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SOURCE } from '../registry.tokens';
import { Department } from './department.entity';
import { RegisterDepartmentDto } from './department.dto';

/** 部门: registration (with its announcement) and the list; the caller wakes the relay after a write. */
@Injectable()
export class DepartmentRepository {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  /** A new department; 409 when the code is taken. */
  register(body: RegisterDepartmentDto): Promise<Department> {
    return this.db.transaction(async (manager) => {
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
      if (inserted.raw.length === 0) {
        throw conflict('DEPARTMENT.ALREADY_EXISTS', `department ${body.code} is already registered`);
      }
      const registered = await repo.findOneByOrFail({ code: body.code });
      const data: DepartmentRegisteredV1 = {
        code: registered.code,
        name: registered.name,
        region: registered.region,
        at: registered.createdAt.toISOString(),
        supervising: registered.supervising,
      };
      await this.messaging.outbox.add(manager, [
        {
          topic: Topics.departments,
          key: registered.code,
          event: createCloudEvent({
            type: EventTypes.departmentRegistered,
            source: REGISTRY_SOURCE,
            subject: registered.code,
            data,
            time: registered.createdAt,
          }),
        },
      ]);
      return registered;
    });
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
