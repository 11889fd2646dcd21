import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { codePage, codePageOf, DomainError, PageQueryDto } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { ListTypeAccess } from './list-type-access';
import { ListType } from './list-type.entity';
import { toListTypeView } from './list-type.view';
import { ListTypeErrors } from './list-type.errors';

/**
 * 名单类型: the stored definitions and their reads. A write runs in its use case's transaction and
 * announces the class in it (trigger's fan-out, decision 0023); the commit wakes the relay (decision 0087).
 */
@Injectable()
export class ListTypeRepository {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly access: ListTypeAccess,
  ) {}

  /** Whether a department is registered (the owner a definition names). */
  ownerRegistered(manager: EntityManager, dept: string): Promise<boolean> {
    return manager.existsBy(Department, { code: dept });
  }

  /** Whether a list type holds the code. */
  exists(manager: EntityManager, code: string): Promise<boolean> {
    return manager.existsBy(ListType, { code });
  }

  /** The list type, locked against another change until the caller's transaction ends. */
  async lockedByCode(manager: EntityManager, code: string): Promise<ListType | undefined> {
    return (
      (await manager.findOne(ListType, { where: { code }, lock: { mode: 'pessimistic_write' } })) ?? undefined
    );
  }

  /** Stores a definition and announces its class to trigger's fan-out (decision 0023), in one transaction. */
  async store(manager: EntityManager, listType: ListType): Promise<ListType> {
    const saved = await manager.save(listType);
    await this.access.announce(manager, [saved]);
    return saved;
  }

  /** One list type; 404 when it does not exist. */
  async byCode(code: string) {
    const found = await this.db.getRepository(ListType).findOneBy({ code });
    if (!found)
      throw new DomainError({ error: ListTypeErrors.NOT_FOUND, detail: `list type ${code} does not exist` });
    return toListTypeView(found);
  }

  /** List types by code, a page at a time. */
  async page(query: PageQueryDto) {
    const page = codePageOf(query);
    const rows = await this.db.getRepository(ListType).find({
      where: page.after !== undefined ? { code: MoreThan(page.after) } : {},
      order: { code: 'ASC' },
      take: page.take,
    });
    return codePage(rows, page, (t) => t.code, toListTypeView);
  }
}
