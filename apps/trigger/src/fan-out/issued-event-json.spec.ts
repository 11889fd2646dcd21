import { AssignmentIssuedV1, EventTypes, validateEventData } from '@credit/contracts';
import { createCloudEvent, parseCloudEvent } from '@credit/messaging';
import { IssuedEventJson, IssuedEventParts } from './issued-event-json';

const entry = {
  entryId: '0b6c7d8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
  listType: 'COURT_DEFAULTER',
  listColour: 'black' as const,
  subjectKind: 'legal_person' as const,
  subjectId: '91330106MA2H7QK4XQ',
  subjectName: '某公司 "引号" \\ 反斜杠',
  subjectLegacyIds: ['MA2H7QK4X'],
  periodFrom: new Date('2026-10-01T00:00:00Z'),
  periodTo: new Date('2029-10-01T00:00:00Z'),
  generation: 2,
};
const measure = {
  dept: 'MARKET_REGULATION',
  snapshot: {
    code: 'M-01',
    version: 3,
    memorandumCode: 'MEMO-2016',
    text: '限制担任法定代表人\n(第二行)',
    kind: 'punishment' as const,
    mode: 'block' as const,
    actions: ['company.register.legal_rep'],
    legalBasis: '《意见》第二条',
    feedbackWorkingDays: 5,
  },
};

function expected(p: IssuedEventParts) {
  const data: AssignmentIssuedV1 = {
    assignmentId: p.assignmentId,
    entryId: p.entry.entryId,
    dept: p.measure.dept,
    measure: p.measure.snapshot,
    listType: { code: p.entry.listType, colour: p.entry.listColour },
    subject: {
      kind: p.entry.subjectKind,
      id: p.entry.subjectId,
      name: p.entry.subjectName,
      ...(p.entry.subjectLegacyIds.length > 0 ? { legacyIds: p.entry.subjectLegacyIds } : {}),
    },
    target: p.target,
    period: { from: p.entry.periodFrom!.toISOString(), to: p.entry.periodTo!.toISOString() },
    issuedAt: p.cause.at.toISOString(),
    feedbackDeadline: p.feedbackDeadline,
    delivery: p.delivery,
    generation: p.entry.generation,
  };
  return createCloudEvent({
    id: p.eventId,
    type: EventTypes.assignmentIssued,
    source: p.source,
    subject: p.entry.entryId,
    actorDept: p.cause.actorDept,
    correlationId: p.cause.correlationId,
    data,
    time: p.cause.at,
  });
}

describe('IssuedEventJson', () => {
  const base: IssuedEventParts = {
    group: {},
    eventId: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
    assignmentId: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
    source: '/credit/trigger',
    entry,
    measure,
    cause: { actorDept: 'COURT', correlationId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', at: new Date() },
    target: { id: entry.subjectId, kind: 'legal_person', name: entry.subjectName },
    feedbackDeadline: '2026-10-13T02:00:00.000Z',
    delivery: { subscribed: true, channel: 'webhook', webhookUrl: 'https://dept.example/hook' },
  };

  it('writes the same document as serialising the CloudEvent, and a valid one', () => {
    const json = new IssuedEventJson();
    const text = json.serialize(base).toString();
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(expected(base))));
    expect(text).toBe(JSON.stringify(expected(base)));
    const event = parseCloudEvent(Buffer.from(text));
    expect(validateEventData(event.type, event.data)).toEqual([]);
  });

  it('keeps per-event parts apart while sharing the entry, measure and delivery fragments', () => {
    const json = new IssuedEventJson();
    const group = {};
    const first = { ...base, group };
    const second: IssuedEventParts = {
      ...base,
      group,
      eventId: '7f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
      assignmentId: '2a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      target: { id: '330106199001011234', kind: 'individual', role: 'legal_representative' },
      feedbackDeadline: '2026-10-20T02:00:00.000Z',
    };
    json.serialize(first);
    expect(JSON.parse(json.serialize(second).toString())).toEqual(
      JSON.parse(JSON.stringify(expected(second))),
    );
  });

  it('leaves out optional attributes as createCloudEvent does', () => {
    const parts: IssuedEventParts = {
      ...base,
      group: {},
      entry: { ...entry, subjectLegacyIds: [] },
      cause: { at: new Date('2026-10-01T08:00:00Z') },
      delivery: { subscribed: false, channel: 'pull' },
    };
    expect(new IssuedEventJson().serialize(parts).toString()).toBe(JSON.stringify(expected(parts)));
  });
  it('keeps every event of a long run intact, across its buffers, non-ASCII parts included', () => {
    const json = new IssuedEventJson();
    const written: { parts: IssuedEventParts; bytes: Buffer }[] = [];
    for (let i = 0; i < 400; i += 1) {
      const parts: IssuedEventParts = {
        ...base,
        group: i % 7 === 0 ? {} : base.group,
        eventId: `${String(i).padStart(8, '0')}-4b5a-4978-8a6b-5c4d3e2f1a0b`,
        target: { id: entry.subjectId, kind: 'legal_person', name: `企业${'名'.repeat(i % 50)}${i}` },
      };
      written.push({ parts, bytes: json.serialize(parts) });
    }
    for (const { parts, bytes } of written)
      expect(bytes.equals(Buffer.from(JSON.stringify(expected(parts))))).toBe(true);
  });
});
