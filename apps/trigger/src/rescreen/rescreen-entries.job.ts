import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager, In } from 'typeorm';
import { measureMayReach } from '@credit/auth';
import { LIFTABLE_ASSIGNMENT_STATUSES } from '@credit/contracts';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { AssignmentIssuer } from '../fan-out/assignment-issuer';
import { Measure } from '../memoranda/measure.entity';
import { TRIGGER_DB, TRIGGER_RESCREEN_OPTIONS } from '../trigger.tokens';
import { RescreenJob } from './rescreen-job.entity';

export interface RescreenOptions {
  /** entries (or assignments) per transaction */
  batchSize: number;
  /** how often a worker looks for unfinished jobs (ms); 0: only when woken (tests) */
  pollMs: number;
}

/**
 * Re-screening (回溯): when the catalog changes, entries already in force are fanned out again in the
 * background — a new measure issues its assignments, a retired one lifts them. Work goes in batches, each
 * one transaction that also moves the job's cursor, so a crash resumes where it stopped and nothing is
 * issued twice; the job row is locked per batch (SKIP LOCKED), so several replicas share the work.
 */
@Injectable()
export class RescreenEntriesJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    @Inject(TRIGGER_RESCREEN_OPTIONS) private readonly options: RescreenOptions,
    private readonly issuer: AssignmentIssuer,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'trigger', component: 'rescreen' });
    this.task = new PeriodicTask(options.pollMs, () => this.drain(), this.logger, 're-screening pass');
  }

  onApplicationBootstrap(): void {
    this.task.start();
    this.task.wake(); // resume what a previous run left unfinished
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true; // the pass under way ends after its batch
    await this.task.stop();
  }

  /** Records a job in the caller's transaction (with the catalog change that needs it). */
  async enqueue(
    manager: EntityManager,
    kind: 'issue' | 'lift',
    measures: Measure[],
    reason: string,
    createdBy: string,
  ): Promise<RescreenJob> {
    const ids = measures.map((m) => m.id);
    const total =
      kind === 'issue'
        ? await manager
            .createQueryBuilder(TrackedEntry, 'e')
            .where("e.status = 'published'")
            .andWhere('e.list_type = ANY(:lists)', {
              lists: [...new Set(measures.flatMap((m) => m.listTypes))],
            })
            .getCount()
        : await manager
            .createQueryBuilder(Assignment, 'a')
            .where('a.measure_id = ANY(:ids)', { ids })
            .andWhere('a.status IN (:...statuses)', { statuses: LIFTABLE_ASSIGNMENT_STATUSES })
            .getCount();
    return this.record(manager, { kind, listType: null, measureIds: ids, reason, createdBy }, total);
  }

  /**
   * Records, in the caller's transaction, a pass over the published entries of a list type whose class
   * trigger just learnt (decision 0023): each entry's measures are lifted or issued as its class says.
   */
  async enqueueReclassify(manager: EntityManager, listType: string, reason: string): Promise<RescreenJob> {
    const total = await manager
      .createQueryBuilder(TrackedEntry, 'e')
      .where("e.status = 'published'")
      .andWhere('e.list_type = :listType', { listType })
      .getCount();
    return this.record(
      manager,
      { kind: 'reclassify', listType, measureIds: [], reason, createdBy: 'registry' },
      total,
    );
  }

  /** A new job of `total` items: running, or completed at once when there is nothing to do. */
  private record(
    manager: EntityManager,
    job: Pick<RescreenJob, 'kind' | 'listType' | 'measureIds' | 'reason' | 'createdBy'>,
    total: number,
  ): Promise<RescreenJob> {
    const now = new Date();
    return manager.save(
      manager.create(RescreenJob, {
        ...job,
        id: randomUUID(),
        status: total === 0 ? 'completed' : 'running',
        cursor: null,
        total,
        processed: 0,
        issued: 0,
        lifted: 0,
        skipped: 0,
        createdAt: now,
        updatedAt: now,
        finishedAt: total === 0 ? now : null,
        error: null,
      }),
    );
  }

  /** Starts a pass over unfinished jobs unless one is under way. */
  wake(): void {
    this.task.wake();
  }

  /** Runs every unfinished job to the end (used by the worker; tests await it). */
  async drain(): Promise<void> {
    while (!this.stopped && (await this.step())) {
      // one batch per step
    }
  }

  /** One batch of one job; false when no job had work. */
  async step(): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const job = await manager
        .createQueryBuilder(RescreenJob, 'j')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where("j.status = 'running'")
        .orderBy('j.created_at')
        .getOne();
      if (!job) return false;
      try {
        if (job.kind === 'issue') await this.issueBatch(manager, job);
        else if (job.kind === 'lift') await this.liftBatch(manager, job);
        else await this.reclassifyBatch(manager, job);
      } catch (err) {
        this.logger.error({ err, jobId: job.id }, 're-screening batch failed');
        throw err;
      }
      job.updatedAt = new Date();
      await manager.save(job);
      return true;
    });
  }

  private async issueBatch(manager: EntityManager, job: RescreenJob): Promise<void> {
    const measures = await manager.find(Measure, { where: { id: In(job.measureIds) } });
    const current = measures.filter((m) => m.current);
    const lists = [...new Set(current.flatMap((m) => m.listTypes))];
    const qb = manager
      .createQueryBuilder(TrackedEntry, 'e')
      .setLock('pessimistic_write')
      .where("e.status = 'published'")
      .andWhere('e.list_type = ANY(:lists)', { lists })
      .orderBy('e.entry_id')
      .limit(this.options.batchSize);
    if (job.cursor) qb.andWhere('e.entry_id > :cursor', { cursor: job.cursor });
    const entries = await qb.getMany();
    const cause = { at: new Date(), correlationId: job.id };
    const eligible = await this.issuer.eligibleMany(manager, entries, current);
    for (const entry of entries) {
      // one entry that cannot be fanned out (a malformed row) must not roll back the batch and stall
      // the job on it forever: its work is undone to a savepoint, logged and counted, and the job goes on
      const issued = await this.isolated(manager, job, entry.entryId, () => {
        // class C (or a class not yet announced): no other department's measure (decision 0023)
        const applicable = (eligible.get(entry.entryId) ?? []).filter((m) =>
          measureMayReach(entry.infoClass, entry.ownerDept, m.dept),
        );
        return this.issuer.issue(manager, entry, applicable, cause);
      });
      job.issued += issued ?? 0;
    }
    this.advance(
      job,
      entries.map((e) => e.entryId),
    );
  }

  private async liftBatch(manager: EntityManager, job: RescreenJob): Promise<void> {
    const qb = manager
      .createQueryBuilder(Assignment, 'a')
      .setLock('pessimistic_write')
      .where('a.measure_id = ANY(:ids)', { ids: job.measureIds })
      .andWhere('a.status IN (:...statuses)', { statuses: LIFTABLE_ASSIGNMENT_STATUSES })
      .orderBy('a.id')
      .limit(this.options.batchSize);
    if (job.cursor) qb.andWhere('a.id > :cursor', { cursor: job.cursor });
    const assignments = await qb.getMany();
    const cause = { at: new Date(), correlationId: job.id };
    // per entry, under a savepoint: one entry whose lift fails is undone, logged and counted, the others go on
    const byEntry = new Map<string, Assignment[]>();
    for (const a of assignments) byEntry.set(a.entryId, [...(byEntry.get(a.entryId) ?? []), a]);
    for (const [entryId, group] of byEntry) {
      const lifted = await this.isolated(manager, job, entryId, () =>
        this.issuer.lift(manager, group, job.reason, cause),
      );
      job.lifted += lifted ?? 0;
    }
    this.advance(
      job,
      assignments.map((a) => a.id),
    );
  }

  /**
   * A list type's class was learnt: each published entry of it gets what its class allows (decision
   * 0023). Class C (the entry's class as now stored): other departments' binding assignments are lifted;
   * A/B: the measures withheld while the class was C or unknown are issued (ON CONFLICT: nothing twice).
   * The lift and the issue of each entry run under their own savepoints, so an entry that cannot be
   * issued is still lifted, and one bad entry never holds up the others.
   */
  private async reclassifyBatch(manager: EntityManager, job: RescreenJob): Promise<void> {
    const qb = manager
      .createQueryBuilder(TrackedEntry, 'e')
      .setLock('pessimistic_write')
      .where("e.status = 'published'")
      .andWhere('e.list_type = :listType', { listType: job.listType })
      .orderBy('e.entry_id')
      .limit(this.options.batchSize);
    if (job.cursor) qb.andWhere('e.entry_id > :cursor', { cursor: job.cursor });
    const entries = await qb.getMany();
    const cause = { at: new Date(), correlationId: job.id };
    const reason = `information class of list type ${job.listType}: ${job.reason}`;
    for (const entry of entries) {
      const lifted = await this.isolated(manager, job, entry.entryId, async () => {
        const binding = await manager
          .createQueryBuilder(Assignment, 'a')
          .setLock('pessimistic_write')
          .where('a.entry_id = :entryId', { entryId: entry.entryId })
          .andWhere('a.status IN (:...statuses)', { statuses: LIFTABLE_ASSIGNMENT_STATUSES })
          .getMany();
        const barred = binding.filter((a) => !measureMayReach(entry.infoClass, entry.ownerDept, a.dept));
        return this.issuer.lift(manager, barred, reason, cause);
      });
      if (lifted === undefined) continue; // counted as skipped once
      job.lifted += lifted;
      const issued = await this.isolated(manager, job, entry.entryId, async () => {
        const measures = await this.issuer.applicableMeasures(manager, entry);
        return this.issuer.issue(manager, entry, measures, cause);
      });
      job.issued += issued ?? 0;
    }
    this.advance(
      job,
      entries.map((e) => e.entryId),
    );
  }

  /** Runs one entry's work under a savepoint; on failure undoes it, logs, counts it skipped, gives undefined. */
  private async isolated<T>(
    manager: EntityManager,
    job: RescreenJob,
    entryId: string,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    await manager.query('SAVEPOINT rescreen_entry');
    try {
      const result = await work();
      await manager.query('RELEASE SAVEPOINT rescreen_entry');
      return result;
    } catch (err) {
      await manager.query('ROLLBACK TO SAVEPOINT rescreen_entry');
      job.skipped += 1;
      this.logger.error({ err, jobId: job.id, entryId }, 're-screening skipped an entry');
      return undefined;
    }
  }

  /** Moves the job's cursor past a batch (the keys it went through, in order); a short batch was the last. */
  private advance(job: RescreenJob, keys: string[]): void {
    job.processed += keys.length;
    job.cursor = keys.at(-1) ?? job.cursor;
    if (keys.length < this.options.batchSize) this.finish(job);
  }

  private finish(job: RescreenJob): void {
    job.status = 'completed';
    job.finishedAt = new Date();
    this.logger.info(
      {
        jobId: job.id,
        kind: job.kind,
        processed: job.processed,
        issued: job.issued,
        lifted: job.lifted,
        skipped: job.skipped,
      },
      're-screening finished',
    );
  }
}

export function toRescreenView(j: RescreenJob) {
  return {
    id: j.id,
    kind: j.kind,
    ...(j.listType ? { listType: j.listType } : {}),
    reason: j.reason,
    status: j.status,
    total: j.total,
    processed: j.processed,
    issued: j.issued,
    lifted: j.lifted,
    skipped: j.skipped,
    progress: j.total === 0 ? 1 : Math.min(1, j.processed / j.total),
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}
