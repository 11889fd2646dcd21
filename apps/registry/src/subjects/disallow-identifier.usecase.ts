import { Injectable } from '@nestjs/common';
import { IdentifierAllowListRepository } from './identifier-allow-list.repository';

/** An admin takes a pilot code off the allow-list; 404 when it was not on it. */
@Injectable()
export class DisallowIdentifierUseCase {
  constructor(private readonly allowListed: IdentifierAllowListRepository) {}

  execute(code: string): Promise<void> {
    return this.allowListed.remove(code);
  }
}
