import { TSchema } from '@sinclair/typebox';
import { EventType, EventTypes } from './event-types';
import { isPayloadOf, payloadValidator, validateEventData } from './event-validation';
import { EVENT_SCHEMAS, EventPayloads } from './schemas';

/** As the registry produces it (list-entry.events.ts), as in the consumer tests. */
const listEntryPublished = (): EventPayloads['credit.list-entry.published.v1'] => ({
  entryId: '3b241101-e2bb-4255-8caf-4136c566a962',
  listType: { code: 'SAMR-SERIOUS-ILLEGAL', colour: 'black', infoClass: 'A', severity: 'serious' },
  ownerDept: 'SAMR',
  subject: { kind: 'legal_person', id: '91350100M000100Y43', name: '某某有限公司' },
  relatedPersons: [
    { role: 'legal_representative', kind: 'individual', id: '11010519491231002X', name: '张三' },
  ],
  decision: { documentNo: '市监罚〔2024〕12号', date: '2024-02-01', amount: 12000.5 },
  period: { from: '2024-03-01T00:00:00.000Z', to: '2027-03-01T00:00:00.000Z' },
  publishedAt: '2024-03-01T08:00:00.000Z',
});

/** As trigger's issuer produces it (the issued-event-json spec compares the two). */
const assignmentIssued = (): EventPayloads['credit.assignment.issued.v1'] => ({
  assignmentId: '7f1c2a5e-9b3d-4c1e-8a2f-0d9e8b7c6a51',
  entryId: '3b241101-e2bb-4255-8caf-4136c566a962',
  dept: 'FINANCE',
  measure: {
    code: 'FIN-SUBSIDY-BAN',
    version: 1,
    memorandumCode: 'MOU-2016-1',
    text: '限制申请财政资金',
    kind: 'punishment',
    mode: 'block',
    actions: ['subsidy.apply'],
    legalBasis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度的指导意见》',
    feedbackWorkingDays: 5,
  },
  listType: { code: 'SAMR-SERIOUS-ILLEGAL', colour: 'black' },
  subject: { kind: 'legal_person', id: '91350100M000100Y43' },
  target: { id: '91350100M000100Y43', kind: 'legal_person' },
  period: { from: '2024-03-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', openEnded: true },
  issuedAt: '2024-03-01T08:00:01.000Z',
  feedbackDeadline: '2024-03-08T08:00:01.000Z',
  delivery: { subscribed: true, channel: 'webhook', webhookUrl: 'https://finance.example/hooks' },
  generation: 0,
});

const feedbackEnforced = (): EventPayloads['credit.feedback.enforced.v1'] => ({
  assignmentId: '7f1c2a5e-9b3d-4c1e-8a2f-0d9e8b7c6a51',
  entryId: '3b241101-e2bb-4255-8caf-4136c566a962',
  dept: 'FINANCE',
  actor: 'clerk-1',
  at: '2024-03-02T09:00:00.000Z',
  detail: '已驳回补贴申请',
});

const fields = (violations: { field: string }[] | undefined) => violations?.map((v) => v.field);

describe('event payload schemas', () => {
  it('has a schema for every EventTypes value, and nothing else', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual(Object.values(EventTypes).sort());
  });

  it.each(Object.entries(EVENT_SCHEMAS) as [EventType, TSchema][])(
    '%s: compiles once, accepts a payload made from its schema and refuses a malformed one',
    (type, schema) => {
      expect(payloadValidator(type)).toBe(payloadValidator(type)); // compiled once, cached
      expect(validateEventData(type, sampleOf(schema))).toEqual([]);
      const violations = validateEventData(type, { ...(sampleOf(schema) as object), ...malform(schema) });
      expect(violations?.length).toBeGreaterThan(0);
      for (const v of violations!) expect(v.message).not.toMatch(/pattern|anyOf/);
    },
  );

  it('accepts the examples the producers make', () => {
    expect(validateEventData(EventTypes.listEntryPublished, listEntryPublished())).toEqual([]);
    expect(validateEventData(EventTypes.assignmentIssued, assignmentIssued())).toEqual([]);
    expect(validateEventData(EventTypes.feedbackEnforced, feedbackEnforced())).toEqual([]);
    // an optional property may be null (as class-validator's IsOptional read it): old events stay valid
    const withNulls = { ...listEntryPublished(), basisCommitmentId: null };
    withNulls.subject.name = null;
    expect(validateEventData(EventTypes.listEntryPublished, withNulls)).toEqual([]);
    // the dates the platform has always accepted: a date alone, an offset, no fraction
    const dates = { ...listEntryPublished(), publishedAt: '2024-03-01T16:00:00+08:00' };
    expect(validateEventData(EventTypes.listEntryPublished, dates)).toEqual([]);
    // fields a newer producer adds are no reason to refuse an event
    expect(validateEventData(EventTypes.feedbackEnforced, { ...feedbackEnforced(), extra: 1 })).toEqual([]);
  });

  it('narrows data to the payload of its type', () => {
    const data: unknown = assignmentIssued();
    if (!isPayloadOf(EventTypes.assignmentIssued, data)) throw new Error('valid');
    expect(data.measure.actions).toEqual(['subsidy.apply']);
  });
});

describe('validateEventData: readable reasons', () => {
  it('reports a missing nested field by its dotted path', () => {
    const data = listEntryPublished();
    delete (data.subject as Partial<typeof data.subject>).id;
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      { field: 'subject.id', constraint: 'required', message: 'is required' },
    ]);
  });

  it('reports a bad element of a list with its index and the allowed values', () => {
    const data = listEntryPublished() as { relatedPersons: { kind: string }[] };
    data.relatedPersons[0].kind = 'robot';
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      {
        field: 'relatedPersons.0.kind',
        constraint: 'enum',
        message: 'must be one of "legal_person", "unincorporated_org", "individual", "individual_business"',
      },
    ]);
  });

  it('names a UUID and a date in words, not by their patterns', () => {
    const data = { ...listEntryPublished(), entryId: 'nope', publishedAt: 'yesterday' };
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      { field: 'entryId', constraint: 'pattern', message: 'must be a UUID' },
      { field: 'publishedAt', constraint: 'pattern', message: 'must be an ISO 8601 date or date-time' },
    ]);
  });

  it('says what a wrong optional value should be, once', () => {
    const data = { ...listEntryPublished(), basisCommitmentId: 5 };
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      { field: 'basisCommitmentId', constraint: 'type', message: 'must be string' },
    ]);
    const period = { ...assignmentIssued(), delivery: { subscribed: 'yes', channel: 'pull' } };
    expect(fields(validateEventData(EventTypes.assignmentIssued, period))).toEqual(['delivery.subscribed']);
  });

  it('reports every missing property, nested objects included', () => {
    const { subject: _subject, period: _period, ...data } = listEntryPublished();
    expect(fields(validateEventData(EventTypes.listEntryPublished, data))).toEqual(['subject', 'period']);
  });

  it.each([null, 'text', [1, 2]])('refuses data that is not an object: %p', (data) => {
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      { field: 'data', constraint: 'type', message: 'must be object' },
    ]);
  });

  it('refuses odd keys as plain data, without throwing', () => {
    const data = { ...listEntryPublished(), entryId: JSON.parse('{"constructor": "x"}') as object };
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      { field: 'entryId', constraint: 'type', message: 'must be string' },
    ]);
    const proto = JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(listEntryPublished()).slice(1)}`);
    expect(validateEventData(EventTypes.listEntryPublished, proto)).toEqual([]);
  });

  it('gives undefined for a type without a schema', () => {
    expect(validateEventData('credit.unknown.v1', { anything: true })).toBeUndefined();
    expect(validateEventData('credit.list-entry.published.v2', listEntryPublished())).toBeUndefined();
    expect(validateEventData('constructor', {})).toBeUndefined();
  });
});

/** A valid value of a schema, every optional property present: from the schema alone. */
function sampleOf(schema: TSchema): unknown {
  if (schema.anyOf) return sampleOf((schema.anyOf as TSchema[])[0]);
  if (schema.enum) return (schema.enum as unknown[])[0];
  if (schema.const !== undefined) return schema.const;
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties as Record<string, TSchema>).map(([k, s]) => [k, sampleOf(s)]),
      );
    case 'array':
      return [sampleOf(schema.items as TSchema)];
    case 'integer':
    case 'number':
      return Math.max(Number(schema.minimum ?? 1), 1);
    case 'boolean':
      return true;
    case 'string':
      if (schema.pattern === EVENT_SCHEMAS[EventTypes.listEntryPublished].properties.entryId.pattern)
        return '3b241101-e2bb-4255-8caf-4136c566a962';
      if (schema.pattern) return '2026-03-01T08:00:00Z';
      return 'x';
    default:
      throw new Error(`no sample for ${JSON.stringify(schema)}`);
  }
}

/** Every required property with a value of the wrong type. */
function malform(schema: TSchema): Record<string, unknown> {
  const required = (schema.required as string[] | undefined) ?? [];
  expect(required.length).toBeGreaterThan(0);
  return Object.fromEntries(
    required.map((k) => {
      const type = (schema.properties as Record<string, TSchema>)[k].type;
      return [k, type === 'string' ? 42 : 'malformed'];
    }),
  );
}
