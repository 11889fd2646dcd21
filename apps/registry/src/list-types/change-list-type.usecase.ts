import { Injectable } from '@nestjs/common';
import { ListTypeAccess } from './list-type-access';
import { ChangeListTypeDto } from './list-type.dto';
import { ListTypeRepository } from './list-type.repository';

/**
 * Changes a list type's terms (decision 0038): the whole definition but its code, colour and owner. New
 * entries follow the new terms at once; entries already made keep their period and deadlines, and a
 * change of class reaches trigger (its fan-out) as at definition, not the public rows already written.
 */
@Injectable()
export class ChangeListTypeUseCase {
  constructor(
    private readonly listTypes: ListTypeRepository,
    private readonly access: ListTypeAccess,
  ) {}

  async execute(code: string, body: ChangeListTypeDto) {
    const view = await this.listTypes.change(code, body);
    this.access.wakeRelay();
    return view;
  }
}
