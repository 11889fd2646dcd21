import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { CheckDecidedV1, EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING, ENFORCEMENT_SOURCE } from '../enforcement.tokens';
import { RecordFeedbackUseCase } from '../inbox/record-feedback.usecase';
import { CheckDecisionDto } from './check.dto';
import { CheckLog } from './check-log';
import { CheckErrors } from './check.errors';

/**
 * The department says what it did with a hit. `applied` is enforcement feedback on each of its own
 * assignments the check hit (acknowledging first if it had not); `not_applied` is kept with its reason.
 */
@Injectable()
export class DecideCheckUseCase {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    private readonly log: CheckLog,
    private readonly feedback: RecordFeedbackUseCase,
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, checkId: string, input: CheckDecisionDto) {
    await this.log.flush();
    const [check] = await this.db.query(
      `SELECT id, dept, action, stage, decision, reasons, checked_at FROM enforcement.checks WHERE id = $1`,
      [checkId],
    );
    if (!check)
      throw new DomainError({ error: CheckErrors.NOT_FOUND, detail: `check ${checkId} does not exist` });
    if (check.dept !== principal.dept)
      throw new DomainError({
        error: CheckErrors.OTHER_DEPARTMENT,
        detail: 'this check was made by another department',
      });
    const own: { id: string; status: string; entry_id: string; subject_id: string }[] = await this.db.query(
      `SELECT a.id, a.status, a.entry_id, a.subject_id FROM enforcement.assignments a
       WHERE a.dept = $1 AND a.entry_id = ANY($2::uuid[]) AND a.measure->>'code' = ANY($3::text[])`,
      [
        principal.dept,
        (check.reasons as { entryId: string }[]).map((r) => r.entryId),
        (check.reasons as { measureCode: string }[]).map((r) => r.measureCode),
      ],
    );
    if (own.length === 0) {
      throw new DomainError({
        error: CheckErrors.NOTHING_TO_DECIDE,
        detail: 'the check hit no measure of your department',
      });
    }
    // the decision and its events (one per entry hit, for the trail and follow-up) commit together
    const inserted = await this.db.transaction(async (manager) => {
      // one decision of a check at a time: the rollup counts a check decided by the statement that
      // writes its first decision (decision 0072), which must see the other's committed rows
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`check-decision:${checkId}`]);
      const rows: { assignment_id: string; decided_at: Date }[] = await manager.query(
        // kept in its check's month (decision 0056): dropped with it
        `INSERT INTO enforcement.check_decisions
           (check_id, assignment_id, outcome, reason, decided_by, decided_at, checked_at)
         SELECT $1, unnest($2::uuid[]), $3, $4, $5, now(), $6 ON CONFLICT DO NOTHING
         RETURNING assignment_id, decided_at`,
        [checkId, own.map((a) => a.id), input.outcome, input.reason ?? null, principal.sub, check.checked_at],
      );
      const decided = new Set(rows.map((r) => r.assignment_id));
      const byEntry = new Map<string, typeof own>();
      for (const a of own.filter((o) => decided.has(o.id)))
        byEntry.set(a.entry_id, [...(byEntry.get(a.entry_id) ?? []), a]);
      const at = rows[0]?.decided_at ?? new Date();
      await this.messaging.outbox.add(
        manager,
        [...byEntry.entries()].map(([entryId, hit]) => {
          const data: CheckDecidedV1 = {
            checkId,
            entryId,
            dept: principal.dept,
            actor: principal.sub,
            action: check.action,
            outcome: input.outcome,
            ...(input.reason ? { reason: input.reason } : {}),
            assignments: hit.map((a) => a.id),
            at: at.toISOString(),
          };
          return {
            topic: Topics.feedback,
            key: hit[0].subject_id,
            event: createCloudEvent({
              type: EventTypes.checkDecided,
              source: ENFORCEMENT_SOURCE,
              subject: entryId,
              actorDept: principal.dept,
              data,
              time: at,
            }),
          };
        }),
      );
      return rows;
    });
    if (inserted.length === 0)
      throw new DomainError({
        error: CheckErrors.ALREADY_DECIDED,
        detail: 'what was done with this hit is already recorded',
      });
    if (input.outcome === 'applied') {
      const detail = `核查 ${checkId}: ${check.action}${check.stage ? ` (${check.stage})` : ''} — ${check.decision}`;
      for (const a of own) {
        if (a.status === 'issued') await this.feedback.execute(principal, a.id, { command: 'acknowledge' });
        if (['issued', 'acknowledged', 'enforced'].includes(a.status)) {
          await this.feedback.execute(principal, a.id, { command: 'enforce', detail, reference: checkId });
        }
      }
    }
    return { checkId, outcome: input.outcome, assignments: own.map((a) => a.id) };
  }
}
