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
 * Writes issued events as CloudEvent JSON — the same bytes as UTF-8 of the `JSON.stringify` text of the
 * event `createCloudEvent` builds — from fragments serialised and encoded once per entry, measure and
 * delivery rather than once per event: a fan-out writes one event per entry × measure × target, and the
 * measure snapshot (its text and legal basis, mostly Chinese) is most of each event. An event is the
 * fragments' bytes copied next to its few own parts (ids, target, deadline) in a shared buffer: no string
 * of the whole event is built, so none is flattened, measured and UTF-8 encoded again on its way out.
 */
export class IssuedEventJson {
  private readonly entryParts = new Map<
    object,
    { head: Buffer; beforeTarget: Buffer; afterTarget: Buffer }
  >();
  private readonly measureParts = new Map<object, Buffer>();
  private readonly deliveryParts = new Map<object, Buffer>();
  /** events are slices of this; a new one (twice as large, up to 1 MB) when it is full */
  private arena = Buffer.allocUnsafeSlow(0);
  private used = 0;

  serialize(p: IssuedEventParts): Buffer {
    const entry = this.entryFragments(p);
    let measure = this.measureParts.get(p.measure);
    if (measure === undefined) {
      measure = Buffer.from(
        `,"dept":${JSON.stringify(p.measure.dept)},"measure":${JSON.stringify(p.measure.snapshot)}`,
      );
      this.measureParts.set(p.measure, measure);
    }
    let delivery = this.deliveryParts.get(p.delivery);
    if (delivery === undefined) {
      delivery = Buffer.from(JSON.stringify(p.delivery));
      this.deliveryParts.set(p.delivery, delivery);
    }
    // in document order: fragments as encoded once, the event's own parts as text
    const parts: (string | Buffer)[] = [
      `{"specversion":"1.0","id":${JSON.stringify(p.eventId)}`,
      entry.head,
      `,"data":{"assignmentId":${JSON.stringify(p.assignmentId)},"entryId":${JSON.stringify(p.entry.entryId)}`,
      measure,
      entry.beforeTarget,
      JSON.stringify(p.target),
      entry.afterTarget,
      `,"feedbackDeadline":${JSON.stringify(p.feedbackDeadline)},"delivery":`,
      delivery,
      `,"generation":${p.entry.generation}}}`,
    ];
    // a UTF-16 unit is at most 3 bytes of UTF-8: room for the worst case, the rest is used by the next
    let most = 0;
    for (const part of parts) most += typeof part === 'string' ? 3 * part.length : part.length;
    if (this.arena.length - this.used < most) {
      this.arena = Buffer.allocUnsafeSlow(
        Math.min(Math.max(2 * this.arena.length, 64 * 1024, most), 1 << 20),
      );
      if (this.arena.length < most) this.arena = Buffer.allocUnsafeSlow(most);
      this.used = 0;
    }
    const arena = this.arena;
    const start = this.used;
    let at = start;
    for (const part of parts) {
      if (typeof part === 'string') at += arena.write(part, at);
      else {
        arena.set(part, at);
        at += part.length;
      }
    }
    this.used = at;
    return arena.subarray(start, at);
  }

  /** The parts that depend only on the entry and its cause (same objects → same fragments). */
  private entryFragments(p: IssuedEventParts): { head: Buffer; beforeTarget: Buffer; afterTarget: Buffer } {
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
    const parts = {
      head: Buffer.from(head),
      beforeTarget: Buffer.from(beforeTarget),
      afterTarget: Buffer.from(afterTarget),
    };
    this.entryParts.set(p.group, parts);
    return parts;
  }
}
