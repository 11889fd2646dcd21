import { EntityManager } from 'typeorm';
import { AssignmentIssuedV1, DeliveryV1, RelatedPersonV1, RelatedRole, SubjectKind } from '@credit/contracts';
import { RecipeRecord } from '@credit/messaging';
import { TRIGGER_SOURCE } from '../trigger.tokens';
import { IssuedEventJson } from './issued-event-json';
import { resolveTargets } from './resolve-targets';

/**
 * A fan-out's `credit.assignment.issued.v1` events go into the outbox as one recipe row per transaction
 * (decision 0016): the assignment ids, grouped by the cause that issued them, and the webhook URLs the
 * subscriptions had. Everything else an event says is in trigger's own rows — the assignment, its entry
 * and the measure version it was issued under, none of which change afterwards in what the event shows —
 * so the relay can rebuild the events exactly when this process's in-memory copy is gone.
 */
export const ISSUED_RECIPE = 'trigger.assignments-issued';

export interface IssuedRecipeV1 {
  v: 1;
  /** in event order; each the assignments one cause issued */
  items: { actorDept?: string; correlationId?: string; assignments: string[] }[];
  /** measure id → the webhook its subscription had at issue time */
  webhooks?: Record<string, string>;
}

// XOR-ed into the assignment id's random nibbles: 0 where a UUID's version (4) and variant bits stand
const MASK = [...'5c1e9a3b7d240f683c5e1902a7d4f86b'].map((c) => parseInt(c, 16));
const HEX = '0123456789abcdef';

/**
 * The issued event's id, derived from its assignment's: the same on every rebuild, so consumers
 * de-duplicate a re-sent event (each assignment is issued once). The assignment id (a random UUID) with a
 * fixed mask XOR-ed into its random bits: one-to-one, still a version 4 UUID, never the assignment id.
 */
export function issuedEventId(assignmentId: string): string {
  const id = assignmentId.toLowerCase();
  let out = '';
  for (let i = 0, n = 0; i < id.length; i += 1) {
    const c = id.charCodeAt(i);
    if (c === 45) out += '-';
    else out += HEX[(c <= 57 ? c - 48 : c - 87) ^ MASK[n++]];
  }
  return out;
}

interface IssuedRow {
  id: string;
  entry_id: string;
  measure_id: string;
  dept: string;
  target_id: string;
  period_from: Date;
  period_to: Date;
  issued_at: Date;
  feedback_deadline: Date;
  generation: number;
  subscribed: boolean;
  channel: DeliveryV1['channel'];
  list_type: string;
  list_colour: AssignmentIssuedV1['listType']['colour'];
  subject_kind: SubjectKind;
  subject_id: string;
  subject_name: string;
  subject_legacy_ids: string[];
  related_persons: RelatedPersonV1[];
  code: string;
  version: number;
  memorandum_code: string;
  text: string;
  kind: AssignmentIssuedV1['measure']['kind'];
  mode: AssignmentIssuedV1['measure']['mode'];
  actions: string[];
  legal_basis: string;
  feedback_working_days: number;
  related_roles: RelatedRole[];
  subject_kinds: SubjectKind[];
}

/** The relay's resolver: the issued events of each recipe, as the writer built them. */
export async function rebuildIssuedEvents(
  manager: EntityManager,
  recipes: unknown[],
): Promise<RecipeRecord[][]> {
  const all = (recipes as IssuedRecipeV1[]).flatMap((r) => r.items.flatMap((i) => i.assignments));
  const rows: IssuedRow[] = await manager.query(
    `SELECT a.id, a.entry_id, a.measure_id, a.dept, a.target_id, a.period_from, a.period_to, a.issued_at,
       a.feedback_deadline, a.generation, a.subscribed, a.channel,
       e.list_type, e.list_colour, e.subject_kind, e.subject_id, e.subject_name, e.subject_legacy_ids,
       e.related_persons,
       m.code, m.version, m.memorandum_code, m.text, m.kind, m.mode, m.actions, m.legal_basis,
       m.feedback_working_days, m.related_roles, m.subject_kinds
     FROM trigger.assignments a
     JOIN trigger.entries e ON e.entry_id = a.entry_id
     JOIN trigger.measures m ON m.id = a.measure_id
     WHERE a.id = ANY($1::uuid[])`,
    [all],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const json = new IssuedEventJson();
  const measures = new Map<string, { dept: string; snapshot: AssignmentIssuedV1['measure'] }>();
  const deliveries = new Map<string, DeliveryV1>();
  return (recipes as IssuedRecipeV1[]).map((recipe) =>
    recipe.items.flatMap((item) => {
      const group = {}; // one cause and entry: the fragments the writer shared
      return item.assignments.map((assignmentId) => {
        const a = byId.get(assignmentId);
        if (!a) throw new Error(`issued recipe: assignment ${assignmentId} is not in trigger.assignments`);
        let measure = measures.get(a.measure_id);
        if (!measure) {
          measure = {
            dept: a.dept,
            snapshot: {
              code: a.code,
              version: a.version,
              memorandumCode: a.memorandum_code,
              text: a.text,
              kind: a.kind,
              mode: a.mode,
              actions: a.actions,
              legalBasis: a.legal_basis,
              feedbackWorkingDays: a.feedback_working_days,
            },
          };
          measures.set(a.measure_id, measure);
        }
        const webhookUrl = recipe.webhooks?.[a.measure_id];
        const deliveryKey = `${a.subscribed}|${a.channel}|${webhookUrl ?? ''}`;
        let delivery = deliveries.get(deliveryKey);
        if (!delivery) {
          delivery = { subscribed: a.subscribed, channel: a.channel, ...(webhookUrl ? { webhookUrl } : {}) };
          deliveries.set(deliveryKey, delivery);
        }
        const subject = { kind: a.subject_kind, id: a.subject_id, name: a.subject_name };
        const target = resolveTargets(
          { relatedRoles: a.related_roles, subjectKinds: a.subject_kinds },
          { subject, relatedPersons: a.related_persons },
        ).find((t) => t.id === a.target_id);
        if (!target)
          throw new Error(`issued recipe: assignment ${assignmentId} reaches no target of its entry`);
        const eventId = issuedEventId(assignmentId);
        return {
          key: a.subject_id,
          value: json.serialize({
            group,
            eventId,
            assignmentId,
            source: TRIGGER_SOURCE,
            entry: {
              entryId: a.entry_id,
              listType: a.list_type,
              listColour: a.list_colour,
              subjectKind: a.subject_kind,
              subjectId: a.subject_id,
              subjectName: a.subject_name,
              subjectLegacyIds: a.subject_legacy_ids,
              periodFrom: a.period_from,
              periodTo: a.period_to,
              generation: a.generation,
            },
            measure,
            cause: { actorDept: item.actorDept, correlationId: item.correlationId, at: a.issued_at },
            target,
            feedbackDeadline: a.feedback_deadline.toISOString(),
            delivery,
          }),
        };
      });
    }),
  );
}
