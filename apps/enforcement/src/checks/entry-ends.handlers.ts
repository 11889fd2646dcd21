import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CloudEvent, EventTypes, ListEntryEndedV1, Topics } from '@credit/contracts';
import { HandlerContext, ServiceMessaging } from '@credit/messaging';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { ActiveMeasures } from './active-measures';

/** The consumer group: its own, so that nothing else on the entries topic holds an end up. */
export const ENTRY_ENDS_CONSUMER = 'enforcement.entry-ends';

/**
 * 退出 on the check's path (decision 0063): an entry's end, heard from registry directly, stops every
 * measure of the entry from binding the check at once, two hops (trigger's consumer and its outbox) before
 * trigger's lifts arrive. An end is final (registry has no way out of `ended`), so this can never be
 * undone by what comes later. The assignments keep their status: trigger lifts them as before, its
 * `credit.assignment.lifted.v1` events still reach the departments' inboxes and the trail, and applying
 * them after this changes nothing the check sees. Idempotent: the inbox drops a redelivered end, and a
 * replay finds every row already marked; dropping the ended entry's measures from memory again (a
 * redelivery is heard too) changes nothing.
 */
@Injectable()
export class EntryEndsHandlers implements OnModuleInit {
  constructor(
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly activeMeasures: ActiveMeasures,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: ENTRY_ENDS_CONSUMER,
      topics: [Topics.listEntries],
      handlers: {
        [EventTypes.listEntryEnded]: (event, context) => this.onEnded(event, context),
      },
      heard: {
        [EventTypes.listEntryEnded]: (event) => this.onHeard(event),
      },
    });
  }

  /**
   * The moment the end is read, before its transaction (decision 0067): the entry's measures leave the
   * check's memory on every replica, without waiting for the database (the check load holds every round
   * trip up) — under the listed subject's identifiers, which the event names, and under every other key
   * each replica holds them under (a related person's, which it does not name).
   */
  onHeard(event: CloudEvent<ListEntryEndedV1>): void {
    const { entryId, subject } = event.data;
    this.activeMeasures.dropEnded([entryId], [subject.id, ...(subject.legacyIds ?? [])]);
  }

  async onEnded(event: CloudEvent<ListEntryEndedV1>, context: HandlerContext): Promise<void> {
    const { entryId, endedAt, reason } = event.data;
    const { manager } = context;
    // remembered for assignments issued after it (the assignments topic is not ordered against this
    // one): a database trigger marks those as they are inserted
    await manager.query(
      `INSERT INTO enforcement.ended_entries (entry_id, ended_at, reason) VALUES ($1, $2, $3)
       ON CONFLICT (entry_id) DO NOTHING`,
      [entryId, endedAt, reason],
    );
    // in the table partitions that hold the entry's rows (decision 0080): by entry alone the statement
    // is planned and locked on all 48 partitions and their indexes
    const held: { key_partition: number }[] = await manager.query(
      `SELECT key_partition FROM enforcement.entry_partitions WHERE entry_id = $1`,
      [entryId],
    );
    if (held.length === 0) return;
    const partitions = held.map((p) => Number(p.key_partition)).join(', ');
    // every row of the entry, whatever its status: a suspended one resumed later must not bind either.
    // Locked in id order first, the order trigger lifts them in and the assignments consumer locks them
    // in: an UPDATE alone locks them partition by partition, and crossed with the entry's lifts that was
    // a deadlock (one side waits deadlock_timeout, 1 s, then retries) seen in most test runs.
    const marked: { target_id: string; subject_id: string; subject_legacy_ids: string[] }[] =
      await manager.query(
        `WITH locked AS (
           SELECT id, key_partition FROM enforcement.assignments
           WHERE entry_id = $1 AND key_partition IN (${partitions}) AND entry_ended_at IS NULL
           ORDER BY id FOR UPDATE),
         marked AS (
           UPDATE enforcement.assignments SET entry_ended_at = $2
           WHERE entry_id = $1 AND key_partition IN (${partitions}) AND id IN (SELECT id FROM locked)
           RETURNING target_id, subject_id, subject_legacy_ids)
         SELECT * FROM marked`,
        [entryId, endedAt],
      );
    if (marked.length === 0) return;
    const keys = new Set<string>();
    for (const row of marked) {
      keys.add(row.target_id);
      keys.add(row.subject_id);
      for (const legacy of row.subject_legacy_ids) keys.add(legacy);
    }
    // again after the commit, under every identifier of the rows marked: a read that began before it may
    // have put the entry's measures back
    context.onCommitted(() => this.activeMeasures.dropEnded([entryId], [...keys]));
  }
}
