import { Injectable } from '@nestjs/common';
import { ListTypeAccess } from './list-type-access';
import { DefineListTypeDto } from './list-type.dto';
import { ListTypeRepository } from './list-type.repository';

/** An admin defines a list type; its class is announced to trigger in the same transaction. */
@Injectable()
export class DefineListTypeUseCase {
  constructor(
    private readonly listTypes: ListTypeRepository,
    private readonly access: ListTypeAccess,
  ) {}

  async execute(body: DefineListTypeDto) {
    const view = await this.listTypes.define(body);
    this.access.wakeRelay();
    return view;
  }
}
