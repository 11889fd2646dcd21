/**
 * 对账: the kinds of gap tracking looks for. Each is something that should have followed an event and
 * did not; it clears by itself when the missing event arrives.
 */
export const GAP_KINDS = [
  /** a published entry whose fan-out was never announced, or announced more assignments than arrived */
  'fan_out_missing',
  /** an ended entry with an assignment that was never lifted */
  'lift_missing',
  /** a lift the department never confirmed within the deadline */
  'lift_unconfirmed',
  /** a check hit on the checking department's own measure, never followed by a decision */
  'check_undecided',
] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export interface Gap {
  kind: GapKind;
  /** what the gap is about: the entry, the assignment, or `checkId:entryId` */
  ref: string;
  entryId: string;
  dept: string | null;
  assignmentId: string | null;
  checkId: string | null;
  /** when the missing step was due */
  since: Date;
  detail: Record<string, unknown>;
}

/**
 * The condition under which an open gap of each kind is resolved, over its row `g` (SQL). The job clears
 * every open gap that meets it; the consumers clear the gaps of what an event touched, at once.
 */
export const RESOLVED: Record<GapKind, string> = {
  fan_out_missing: `EXISTS (SELECT 1 FROM tracking.entries e WHERE e.entry_id = g.entry_id
    AND e.fan_outs > 0 AND e.issued >= e.declared)`,
  lift_missing: `EXISTS (SELECT 1 FROM tracking.follow_up_assignments a WHERE a.id = g.assignment_id
    AND (a.lifted_at IS NOT NULL OR a.lift_confirmed_at IS NOT NULL OR a.not_applicable_at IS NOT NULL))`,
  lift_unconfirmed: `EXISTS (SELECT 1 FROM tracking.follow_up_assignments a WHERE a.id = g.assignment_id
    AND (a.lift_confirmed_at IS NOT NULL OR a.not_applicable_at IS NOT NULL))`,
  check_undecided: `EXISTS (SELECT 1 FROM tracking.check_hits h WHERE h.check_id = g.check_id
    AND h.entry_id = g.entry_id AND h.decided_at IS NOT NULL)`,
};

export function checkRef(checkId: string, entryId: string): string {
  return `${checkId}:${entryId}`;
}
