import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AssignmentsFannedOutV1,
  CheckDecidedV1,
  CheckHitV1,
  CloudEvent,
  EventTypes,
  ListEntryEndedV1,
  ListEntryPublishedV1,
} from '@credit/contracts';
import { GapKind, RESOLVED } from './reconciliation-gaps';

/**
 * Keeps what reconciliation needs to know about entries and check hits, in the transaction that records
 * the event, and clears at once the gaps the event fills. Every column is a fact (earliest time, a sum
 * over distinct events), so the tables are the same whatever order the topics are read in.
 */
@Injectable()
export class ReconciliationProjector {
  async apply(
    event: CloudEvent<Record<string, unknown>>,
    manager: EntityManager,
    { issuedNow }: { issuedNow: boolean },
  ): Promise<void> {
    const entryId = event.data.entryId as string;
    switch (event.type) {
      case EventTypes.listEntryPublished: {
        const d = event.data as unknown as ListEntryPublishedV1;
        await manager.query(
          `INSERT INTO tracking.entries (entry_id, owner_dept, list_type, published_at, origin_region)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (entry_id) DO UPDATE SET owner_dept = EXCLUDED.owner_dept, list_type = EXCLUDED.list_type,
             published_at = LEAST(entries.published_at, EXCLUDED.published_at),
             origin_region = COALESCE(entries.origin_region, EXCLUDED.origin_region)`,
          // received from a partner region: the statistics by origin (decision 0035)
          [entryId, d.ownerDept, d.listType.code, new Date(d.publishedAt), d.origin?.region ?? null],
        );
        return;
      }
      case EventTypes.listEntryEnded: {
        const d = event.data as unknown as ListEntryEndedV1;
        await manager.query(
          `INSERT INTO tracking.entries (entry_id, owner_dept, list_type, ended_at, end_reason)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (entry_id) DO UPDATE SET ended_at = LEAST(entries.ended_at, EXCLUDED.ended_at),
             end_reason = CASE WHEN entries.ended_at IS NULL OR EXCLUDED.ended_at < entries.ended_at
               THEN EXCLUDED.end_reason ELSE entries.end_reason END`,
          [entryId, d.ownerDept, d.listType.code, new Date(d.endedAt), d.reason],
        );
        return;
      }
      case EventTypes.assignmentsFannedOut: {
        const d = event.data as unknown as AssignmentsFannedOutV1;
        await manager.query(
          `INSERT INTO tracking.entries (entry_id, owner_dept, list_type, fan_outs, declared, fanned_out_at)
           VALUES ($1, $2, $3, 1, $4, $5)
           ON CONFLICT (entry_id) DO UPDATE SET fan_outs = entries.fan_outs + 1,
             declared = entries.declared + EXCLUDED.declared,
             fanned_out_at = LEAST(entries.fanned_out_at, EXCLUDED.fanned_out_at)`,
          [entryId, d.ownerDept, d.listType.code, d.issued, new Date(d.at)],
        );
        await this.clear(manager, 'fan_out_missing', 'g.entry_id = $1', [entryId]);
        return;
      }
      case EventTypes.assignmentIssued:
        if (!issuedNow) return;
        await manager.query(
          `INSERT INTO tracking.entries (entry_id, issued) VALUES ($1, 1)
           ON CONFLICT (entry_id) DO UPDATE SET issued = entries.issued + 1`,
          [entryId],
        );
        await this.clear(manager, 'fan_out_missing', 'g.entry_id = $1', [entryId]);
        return;
      case EventTypes.assignmentLifted:
      case EventTypes.feedbackNotApplicable:
      case EventTypes.feedbackLiftConfirmed: {
        const assignmentId = event.data.assignmentId as string;
        await this.clear(manager, 'lift_missing', 'g.assignment_id = $1', [assignmentId]);
        await this.clear(manager, 'lift_unconfirmed', 'g.assignment_id = $1', [assignmentId]);
        return;
      }
      case EventTypes.checkHit: {
        const d = event.data as unknown as CheckHitV1;
        await manager.query(
          `INSERT INTO tracking.check_hits (check_id, entry_id, dept, action, decision, own, hit_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (check_id, entry_id) DO UPDATE SET dept = EXCLUDED.dept, action = EXCLUDED.action,
             decision = EXCLUDED.decision, own = EXCLUDED.own, hit_at = EXCLUDED.hit_at`,
          [
            d.checkId,
            d.entryId,
            d.dept,
            d.action,
            d.decision,
            // only a hit on the checking department's own measure is its to decide
            d.assignments.some((a) => a.dept === d.dept),
            new Date(d.at),
          ],
        );
        return;
      }
      case EventTypes.checkDecided: {
        const d = event.data as unknown as CheckDecidedV1;
        await manager.query(
          `INSERT INTO tracking.check_hits (check_id, entry_id, dept, decided_at, outcome) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (check_id, entry_id) DO UPDATE SET
             decided_at = LEAST(check_hits.decided_at, EXCLUDED.decided_at),
             outcome = CASE WHEN check_hits.decided_at IS NULL OR EXCLUDED.decided_at < check_hits.decided_at
               THEN EXCLUDED.outcome ELSE check_hits.outcome END`,
          [d.checkId, d.entryId, d.dept, new Date(d.at), d.outcome],
        );
        await this.clear(manager, 'check_undecided', 'g.check_id = $1 AND g.entry_id = $2', [
          d.checkId,
          d.entryId,
        ]);
        return;
      }
      default:
    }
  }

  /** `apply` for a run of check hits: one upsert (the last of a check and entry seen twice wins, as in turn). */
  async applyHits(hits: CheckHitV1[], manager: EntityManager): Promise<void> {
    const byKey = new Map<string, CheckHitV1>();
    for (const h of hits) byKey.set(`${h.checkId}|${h.entryId}`, h);
    const rows = [...byKey.values()];
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO tracking.check_hits (check_id, entry_id, dept, action, decision, own, hit_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[])
       ON CONFLICT (check_id, entry_id) DO UPDATE SET dept = EXCLUDED.dept, action = EXCLUDED.action,
         decision = EXCLUDED.decision, own = EXCLUDED.own, hit_at = EXCLUDED.hit_at`,
      [
        rows.map((d) => d.checkId),
        rows.map((d) => d.entryId),
        rows.map((d) => d.dept),
        rows.map((d) => d.action),
        rows.map((d) => d.decision),
        // only a hit on the checking department's own measure is its to decide
        rows.map((d) => d.assignments.some((a) => a.dept === d.dept)),
        rows.map((d) => new Date(d.at)),
      ],
    );
  }

  /** Clears the open gaps of `kind` matching `where` that the facts now resolve. */
  private async clear(manager: EntityManager, kind: GapKind, where: string, params: unknown[]) {
    await manager.query(
      `UPDATE tracking.reconciliation_gaps g SET cleared_at = now()
       WHERE g.kind = '${kind}' AND g.cleared_at IS NULL AND ${where} AND ${RESOLVED[kind]}`,
      params,
    );
  }
}
