import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { ChangeListTypeDto } from './list-type.dto';
import { ListTypeErrors } from './list-type.errors';
import { ListTypeRepository } from './list-type.repository';
import { assertTermsFit, termsOf } from './list-type.terms';
import { toListTypeView } from './list-type.view';

/**
 * Changes a list type's terms (decision 0038): the whole definition but its code, colour and owner. New
 * entries follow the new terms at once; entries already made keep their period and deadlines, and a
 * change of class reaches trigger (its fan-out) as at definition, not the public rows already written.
 */
@Injectable()
export class ChangeListTypeUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly listTypes: ListTypeRepository,
  ) {}

  async execute(code: string, body: ChangeListTypeDto) {
    const view = await this.db.transaction(async (manager) => {
      const found = await this.listTypes.lockedByCode(manager, code);
      if (!found)
        throw new DomainError({
          error: ListTypeErrors.NOT_FOUND,
          detail: `list type ${code} does not exist`,
        });
      if (body.colour !== found.colour) {
        throw new DomainError({
          error: ListTypeErrors.COLOUR_FIXED,
          detail: `list type ${code} is ${found.colour}: a list's colour does not change (define a new list type)`,
          field: 'colour',
        });
      }
      if (body.ownerDept !== found.ownerDept) {
        throw new DomainError({
          error: ListTypeErrors.OWNER_FIXED,
          detail: `list type ${code} belongs to ${found.ownerDept}: its owner does not change`,
          field: 'ownerDept',
        });
      }
      assertTermsFit(body);
      return toListTypeView(await this.listTypes.store(manager, Object.assign(found, termsOf(body))));
    });
    return view;
  }
}
