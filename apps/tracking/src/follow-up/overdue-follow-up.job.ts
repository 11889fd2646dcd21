import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { EventTypes, OverdueKind, Topics, TrackingOverdueV1 } from '@credit/contracts';
import { createCloudEvent, OutboxMessage, ServiceMessaging } from '@credit/messaging';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { TRACKING_DB, TRACKING_MESSAGING, TRACKING_SOURCE } from '../tracking.tokens';
import { applyMark, dueMarks, FollowUpRow } from './follow-up-state';
import { FOLLOW_UP_OPTIONS, FollowUpOptions } from './follow-up.options';
import { FOLLOW_UP_SELECT, FollowUpProjector } from './follow-up.projector';
import { OverdueCounts } from './overdue-counts';

const BATCH = 200;

export interface OverduePassResult {
  /** assignments that got at least one mark in this pass */
  assignments: number;
  /** `credit.tracking.overdue.v1` events written to the outbox */
  events: number;
  marks: { assignmentId: string; dept: string; kind: OverdueKind; level: 1 | 2 }[];
}

/**
 * 逾期督办: marks assignments whose acknowledgement or feedback deadline passed, escalates them a
 * second time after a further period, and announces each mark on `credit.tracking`. Safe with several
 * replicas: each batch locks its rows with SKIP LOCKED, and a mark already made is never made again
 * (the level is part of the row), so two replicas never announce the same mark.
 */
@Injectable()
export class OverdueFollowUpJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly logger: Logger;

  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    @Inject(TRACKING_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(FOLLOW_UP_OPTIONS) private readonly options: FollowUpOptions,
    private readonly projector: FollowUpProjector,
    private readonly counts: OverdueCounts,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'tracking', component: 'overdue-job' });
    this.task = new PeriodicTask(options.intervalMs, () => this.markOverdue(), this.logger, 'overdue pass');
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /**
   * Makes every mark due at `now`; returns what this call did. Reads only the assignments whose next
   * mark fell due (`next_mark_at`, indexed; decision 0056): each gets a mark and its next one moves
   * later (or to none), so a pass costs what became due since the last one, not the open assignments.
   */
  async markOverdue(now = new Date()): Promise<OverduePassResult> {
    const total: OverduePassResult = { assignments: 0, events: 0, marks: [] };
    // the cursor keeps next_mark_at as PostgreSQL's text: a JS Date would drop its microseconds and read
    // the same rows again
    let after: [string, string] = ['-infinity', '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const pass = await this.db.transaction(async (manager) => {
        // exactly what is due (next_mark_at is the former filter); dueMarks says which marks
        const rows: (FollowUpRow & { nextMarkAt: string })[] = await manager.query(
          `SELECT ${FOLLOW_UP_SELECT}, a.next_mark_at::text AS "nextMarkAt" FROM tracking.follow_up_assignments a
           WHERE a.next_mark_at < $1 AND (a.next_mark_at, a.id) > ($2::timestamptz, $3::uuid)
           ORDER BY a.next_mark_at, a.id LIMIT ${BATCH}
           FOR UPDATE SKIP LOCKED`,
          [now, after[0], after[1]],
        );
        const messages: OutboxMessage[] = [];
        const made: OverduePassResult['marks'] = [];
        let marked = 0;
        for (const row of rows) {
          const marks = dueMarks(row, now);
          if (marks.length === 0) continue;
          marked += 1;
          await this.projector.change(manager, { assignmentId: row.id, ...row }, (facts) =>
            marks.reduce(applyMark, facts),
          );
          for (const mark of marks) {
            made.push({ assignmentId: row.id, dept: row.dept, kind: mark.kind, level: mark.level });
            const data: TrackingOverdueV1 = {
              assignmentId: row.id,
              entryId: row.entryId,
              dept: row.dept,
              kind: mark.kind,
              deadline: mark.deadline.toISOString(),
              level: mark.level,
              at: now.toISOString(),
            };
            messages.push({
              topic: Topics.tracking,
              key: row.subjectId ?? row.entryId,
              event: createCloudEvent({
                type: EventTypes.trackingOverdue,
                source: TRACKING_SOURCE,
                subject: row.entryId,
                data,
                time: now,
              }),
            });
          }
        }
        await this.messaging.outbox.add(manager, messages);
        const last = rows[rows.length - 1];
        return {
          rows: rows.length,
          last: last ? ([last.nextMarkAt, last.id] as [string, string]) : undefined,
          marked,
          events: messages.length,
          made,
        };
      });
      total.assignments += pass.marked;
      total.events += pass.events;
      total.marks.push(...pass.made);
      if (pass.rows < BATCH || !pass.last) break;
      after = pass.last;
    }
    await this.counts.fold();
    if (total.events > 0) {
      this.logger.info(
        { assignments: total.assignments, events: total.events, at: now.toISOString() },
        'overdue assignments marked',
      );
    }
    return total;
  }
}
