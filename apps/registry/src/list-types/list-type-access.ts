import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import {
  CloudEvent,
  EventTypes,
  ListTypeAnnouncedV1,
  ListTypeImplementersV1,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, OutboxMessage, ServiceMessaging } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SOURCE } from '../registry.tokens';
import { ListType } from './list-type.entity';

/**
 * The registry's side of what decides who sees a list type's entries (decision 0023): it announces each
 * list type's information class to trigger (`credit.list-type.announced.v1`, when defined and for every
 * list type at each start), and keeps the departments trigger says implement a measure on each list type
 * (`credit.list-type.implementers.v1`) in `registry.list_type_implementers`, for class B.
 */
@Injectable()
export class ListTypeAccess implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'registry', component: 'list-type-access' });
  }

  onModuleInit(): void {
    this.messaging.consume({
      name: 'registry.list-type-implementers',
      topics: [Topics.departments],
      handlers: {
        [EventTypes.listTypeImplementers]: (event, { manager }) => this.onImplementers(event, manager),
      },
    });
  }

  /** Every list type's class, once per start: trigger learns what it missed or never had (older entries). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.db.transaction(async (manager) => {
        const all = await manager.find(ListType, { order: { code: 'ASC' } });
        if (all.length > 0) await this.announce(manager, all);
      });
    } catch (err) {
      this.logger.error({ err }, 'announcing the list types failed; the next start does it');
    }
  }

  /** Announces list types' classes in the caller's transaction. */
  async announce(manager: EntityManager, listTypes: ListType[]): Promise<void> {
    const at = new Date();
    await this.messaging.outbox.add(
      manager,
      listTypes.map((t): OutboxMessage => {
        const data: ListTypeAnnouncedV1 = {
          code: t.code,
          ownerDept: t.ownerDept,
          infoClass: t.infoClass,
          at: at.toISOString(),
        };
        return {
          topic: Topics.listEntries,
          key: t.code,
          event: createCloudEvent({
            type: EventTypes.listTypeAnnounced,
            source: REGISTRY_SOURCE,
            subject: t.code,
            data,
            time: at,
          }),
        };
      }),
    );
  }

  /** The whole set of a list type's implementers; an older announcement than the one kept is ignored. */
  async onImplementers(event: CloudEvent<ListTypeImplementersV1>, manager: EntityManager): Promise<void> {
    const { listType, depts, at } = event.data;
    await manager.query(
      `INSERT INTO registry.list_type_implementers (list_type, depts, at) VALUES ($1, $2, $3)
       ON CONFLICT (list_type) DO UPDATE SET depts = EXCLUDED.depts, at = EXCLUDED.at
       WHERE registry.list_type_implementers.at <= EXCLUDED.at`,
      [listType, depts, at],
    );
  }
}
