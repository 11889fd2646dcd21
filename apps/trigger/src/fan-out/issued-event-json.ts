import { AssignmentIssuedV1, AssignmentTargetV1, DeliveryV1, EventTypes } from '@credit/contracts';

/** What one `credit.assignment.issued.v1` event is made of; the objects are shared by many events. */
export interface IssuedEventParts {
  /** Events with the same group share their entry and cause (the fragments of these are cached by it). */
  group: object;
  eventId: string;
  assignmentId: string;
  /** the CloudEvent `source` */
  source: string;
  entry: {
    entryId: string;
    listType: string;
    listColour: AssignmentIssuedV1['listType']['colour'];
    subjectKind: AssignmentIssuedV1['subject']['kind'];
    subjectId: string;
    subjectName: string;
    subjectLegacyIds: string[];
    periodFrom: Date | null;
    periodTo: Date | null;
    generation: number;
  };
  measure: { dept: string; snapshot: AssignmentIssuedV1['measure'] };
  cause: { actorDept?: string; correlationId?: string; at: Date };
  target: AssignmentTargetV1;
  feedbackDeadline: string;
  delivery: DeliveryV1;
}

/**
 * Writes issued events as CloudEvent JSON text — the same document `JSON.stringify` gives for the event
 * `createCloudEvent` builds — from fragments serialised once per entry, measure and delivery rather than
 * once per event: a fan-out writes one event per entry × measure × target, and the measure snapshot (its
 * text and legal basis) is most of each event.
 */
export class IssuedEventJson {
  private readonly entryParts = new Map<
    object,
    { head: string; beforeTarget: string; afterTarget: string }
  >();
  private readonly measureParts = new Map<object, string>();
  private readonly deliveryParts = new Map<object, string>();

  serialize(p: IssuedEventParts): string {
    const entry = this.entryFragments(p);
    let measure = this.measureParts.get(p.measure);
    if (measure === undefined) {
      measure = `,"dept":${JSON.stringify(p.measure.dept)},"measure":${JSON.stringify(p.measure.snapshot)}`;
      this.measureParts.set(p.measure, measure);
    }
    let delivery = this.deliveryParts.get(p.delivery);
    if (delivery === undefined) {
      delivery = JSON.stringify(p.delivery);
      this.deliveryParts.set(p.delivery, delivery);
    }
    return (
      `{"specversion":"1.0","id":${JSON.stringify(p.eventId)}${entry.head}` +
      `,"data":{"assignmentId":${JSON.stringify(p.assignmentId)},"entryId":${JSON.stringify(p.entry.entryId)}` +
      `${measure}${entry.beforeTarget}${JSON.stringify(p.target)}${entry.afterTarget}` +
      `,"feedbackDeadline":${JSON.stringify(p.feedbackDeadline)},"delivery":${delivery}` +
      `,"generation":${p.entry.generation}}}`
    );
  }

  /** The parts that depend only on the entry and its cause (same objects → same fragments). */
  private entryFragments(p: IssuedEventParts): { head: string; beforeTarget: string; afterTarget: string } {
    const cached = this.entryParts.get(p.group);
    if (cached) return cached;
    const { entry, cause } = p;
    const time = cause.at.toISOString();
    const head =
      `,"source":${JSON.stringify(p.source)},"type":${JSON.stringify(EventTypes.assignmentIssued)}` +
      `,"time":${JSON.stringify(time)}` +
      (entry.entryId ? `,"subject":${JSON.stringify(entry.entryId)}` : '') +
      `,"datacontenttype":"application/json"` +
      (cause.actorDept ? `,"actordept":${JSON.stringify(cause.actorDept)}` : '') +
      (cause.correlationId ? `,"correlationid":${JSON.stringify(cause.correlationId)}` : '');
    const subject: AssignmentIssuedV1['subject'] = {
      kind: entry.subjectKind,
      id: entry.subjectId,
      name: entry.subjectName,
      ...(entry.subjectLegacyIds.length > 0 ? { legacyIds: entry.subjectLegacyIds } : {}),
    };
    const period: AssignmentIssuedV1['period'] = {
      from: entry.periodFrom!.toISOString(),
      to: entry.periodTo!.toISOString(),
    };
    const beforeTarget =
      `,"listType":${JSON.stringify({ code: entry.listType, colour: entry.listColour })}` +
      `,"subject":${JSON.stringify(subject)},"target":`;
    const afterTarget = `,"period":${JSON.stringify(period)},"issuedAt":${JSON.stringify(time)}`;
    const parts = { head, beforeTarget, afterTarget };
    this.entryParts.set(p.group, parts);
    return parts;
  }
}
