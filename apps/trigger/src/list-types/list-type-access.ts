import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import {
  CloudEvent,
  EventTypes,
  InfoClass,
  ListTypeAnnouncedV1,
  ListTypeImplementersV1,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { RescreenEntriesJob } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB, TRIGGER_MESSAGING, TRIGGER_SOURCE } from '../trigger.tokens';

/**
 * What trigger and the registry tell each other about who may see a list type's entries (decision 0023):
 *
 * - the registry announces each list type's information class (`credit.list-type.announced.v1`); trigger
 *   keeps it in `trigger.list_types`, gives it to the entries of the list type, and when that changes an
 *   entry's class starts a re-screening pass: class C lifts other departments' measures, A/B issues what
 *   was withheld while the class was unknown (counted as C, fail closed);
 * - trigger tells the registry which departments implement a measure in force on each list type
 *   (`credit.list-type.implementers.v1`): they read its class-B entries there.
 */
@Injectable()
export class ListTypeAccess implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly rescreen: RescreenEntriesJob,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'trigger', component: 'list-type-access' });
  }

  /** The catalogue's implementers of every list type, once per start (a registry that missed one learns it). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.db.transaction((manager) => this.announceImplementers(manager));
    } catch (err) {
      this.logger.error(
        { err },
        'announcing the implementers of the list types failed; the next start does it',
      );
    }
  }

  /**
   * A list type's class from the registry: stored, given to its entries, and acted on in the background.
   * An announcement that changes nothing (each registry start repeats every class) costs one read.
   */
  async onAnnounced(event: CloudEvent<ListTypeAnnouncedV1>, manager: EntityManager): Promise<void> {
    const { code, ownerDept, infoClass, at } = event.data;
    const [known]: { info_class: InfoClass; announced_at: Date }[] = await manager.query(
      'SELECT info_class, announced_at FROM trigger.list_types WHERE code = $1 FOR UPDATE',
      [code],
    );
    if (known && known.announced_at.getTime() > new Date(at).getTime()) return; // an older word
    await manager.query(
      `INSERT INTO trigger.list_types (code, owner_dept, info_class, announced_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET owner_dept = EXCLUDED.owner_dept, info_class = EXCLUDED.info_class,
         announced_at = EXCLUDED.announced_at`,
      [code, ownerDept, infoClass, at],
    );
    // entries stored since the list type was known carry its class already (or a stricter snapshot's)
    if (known?.info_class === infoClass) return;
    const [, changed]: [unknown, number] = await manager.query(
      `UPDATE trigger.entries SET info_class = $2 WHERE list_type = $1 AND info_class IS DISTINCT FROM $2`,
      [code, infoClass],
    );
    if (!changed) return;
    const job = await this.rescreen.enqueueReclassify(manager, code, `announced as class ${infoClass}`);
    this.logger.info(
      { listType: code, infoClass, entries: changed, jobId: job.id },
      'list type class learnt: re-screening its entries',
    );
    // the job is committed with this event; a pass after that picks it up (and the worker's poll)
    setTimeout(() => this.rescreen.wake(), 200).unref();
  }

  /** The classes trigger knows of these list types (for entries whose snapshot has none). */
  async classesOf(manager: EntityManager, codes: string[]): Promise<Map<string, InfoClass>> {
    const rows: { code: string; info_class: InfoClass }[] = await manager.query(
      'SELECT code, info_class FROM trigger.list_types WHERE code = ANY($1)',
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.info_class]));
  }

  /**
   * Tells the registry the departments implementing a measure in force on each given list type (every
   * list type of the catalogue when none is given), in the caller's transaction: the whole set each time.
   */
  async announceImplementers(manager: EntityManager, listTypes?: string[]): Promise<void> {
    const rows: { list_type: string; depts: string[] }[] = await manager.query(
      `SELECT lt AS list_type,
              coalesce(array_agg(DISTINCT m.dept ORDER BY m.dept) FILTER (WHERE m.current), '{}') AS depts
       FROM trigger.measures m, unnest(m.list_types) AS lt
       WHERE $1::text[] IS NULL OR lt = ANY($1)
       GROUP BY lt`,
      [listTypes ?? null],
    );
    const sets = new Map(rows.map((r) => [r.list_type, r.depts]));
    for (const code of listTypes ?? []) if (!sets.has(code)) sets.set(code, []);
    if (sets.size === 0) return;
    const at = new Date();
    await this.messaging.outbox.add(
      manager,
      [...sets].map(([listType, depts]) => {
        const data: ListTypeImplementersV1 = { listType, depts, at: at.toISOString() };
        return {
          topic: Topics.departments,
          key: listType,
          event: createCloudEvent({
            type: EventTypes.listTypeImplementers,
            source: TRIGGER_SOURCE,
            subject: listType,
            data,
            time: at,
          }),
        };
      }),
    );
  }
}
