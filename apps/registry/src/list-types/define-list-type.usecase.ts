import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@credit/platform';
import { DepartmentErrors } from '../departments/department.errors';
import { REGISTRY_DB } from '../registry.tokens';
import { DefineListTypeDto } from './list-type.dto';
import { ListType } from './list-type.entity';
import { ListTypeErrors } from './list-type.errors';
import { ListTypeRepository } from './list-type.repository';
import { assertTermsFit, termsOf } from './list-type.terms';
import { toListTypeView } from './list-type.view';

/**
 * An admin defines a list type, when its owner is registered and its code free; its class is announced
 * to trigger in the same transaction.
 */
@Injectable()
export class DefineListTypeUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly listTypes: ListTypeRepository,
  ) {}

  async execute(body: DefineListTypeDto) {
    const view = await this.db.transaction(async (manager) => {
      if (!(await this.listTypes.ownerRegistered(manager, body.ownerDept))) {
        throw new DomainError({
          error: DepartmentErrors.NOT_FOUND,
          detail: `department ${body.ownerDept} is not registered`,
          field: 'ownerDept',
        });
      }
      if (await this.listTypes.exists(manager, body.code)) {
        throw new DomainError({
          error: ListTypeErrors.ALREADY_EXISTS,
          detail: `list type ${body.code} already exists`,
        });
      }
      assertTermsFit(body);
      const created = manager.create(ListType, { code: body.code, ...termsOf(body) });
      return toListTypeView(await this.listTypes.store(manager, created));
    });
    return view;
  }
}
