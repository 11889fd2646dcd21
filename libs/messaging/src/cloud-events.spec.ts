import { createCloudEvent, EnvelopeError, parseCloudEvent } from './cloud-events';

function envelopeError(value: Buffer | null): EnvelopeError {
  try {
    parseCloudEvent(value);
  } catch (err) {
    if (err instanceof EnvelopeError) return err;
    throw err;
  }
  throw new Error('expected the record to be refused');
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const valid = {
  specversion: '1.0',
  id: 'b7d2a4e6-6f0c-4d8a-9d55-0c3b9f1e2a11',
  source: '/registry',
  type: 'credit.list-entry.published.v1',
  time: '2024-03-01T08:00:00.000Z',
  subject: '91350100M000100Y43',
  datacontenttype: 'application/json',
  data: { entryId: 'x' },
};

describe('parseCloudEvent', () => {
  it.each([
    ['no value (a tombstone)', null],
    ['an empty value', Buffer.alloc(0)],
  ])('refuses %s as MESSAGE.EMPTY', (_name, value) => {
    expect(envelopeError(value).code).toBe('MESSAGE.EMPTY');
  });

  it('refuses text that is not JSON as MESSAGE.MALFORMED_JSON', () => {
    const err = envelopeError(Buffer.from('{"id": "1", oops'));

    expect(err.code).toBe('MESSAGE.MALFORMED_JSON');
    expect(err.message).toMatch(/^value is not JSON/);
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('refuses %s as MESSAGE.INVALID_ENVELOPE', (_name, text) => {
    const err = envelopeError(Buffer.from(text));

    expect(err.code).toBe('MESSAGE.INVALID_ENVELOPE');
    expect(err.message).toBe('value is not a JSON object');
  });

  it('names every missing attribute', () => {
    const err = envelopeError(json({}));

    expect(err.code).toBe('MESSAGE.INVALID_ENVELOPE');
    expect(err.message).toBe(
      'CloudEvents attributes missing or wrong: specversion, id, source, type, time, data',
    );
  });

  it.each([
    ['specversion', { ...valid, specversion: '0.3' }],
    ['id', { ...valid, id: '' }],
    ['type', { ...valid, type: 7 }],
  ])('names a wrong %s', (attribute, event) => {
    const err = envelopeError(json(event));

    expect(err.code).toBe('MESSAGE.INVALID_ENVELOPE');
    expect(err.message).toBe(`CloudEvents attributes missing or wrong: ${attribute}`);
  });

  it('refuses a time that is not a timestamp', () => {
    const err = envelopeError(json({ ...valid, time: 'yesterday' }));

    expect(err.code).toBe('MESSAGE.INVALID_ENVELOPE');
    expect(err.message).toMatch(/time/);
  });

  it('returns a valid event as it was sent', () => {
    expect(parseCloudEvent(json(valid))).toEqual(valid);
  });

  it('accepts data that is null (its schema decides)', () => {
    expect(parseCloudEvent(json({ ...valid, data: null })).data).toBeNull();
  });
});

describe('createCloudEvent', () => {
  it('fills in the envelope: version, a fresh id, the time and the content type', () => {
    const before = Date.now();
    const event = createCloudEvent({ type: 'credit.test.v1', source: '/test', data: { n: 1 } });

    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: '/test',
      type: 'credit.test.v1',
      time: expect.any(String),
      datacontenttype: 'application/json',
      data: { n: 1 },
    });
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before);
    expect(createCloudEvent({ type: 't', source: '/s', data: {} }).id).not.toBe(event.id);
  });

  it('carries the optional attributes under their CloudEvents names', () => {
    const event = createCloudEvent({
      id: 'fixed-id',
      time: new Date('2024-03-01T08:00:00Z'),
      type: 'credit.test.v1',
      source: '/test',
      subject: '91350100M000100Y43',
      actorDept: 'SAMR',
      correlationId: 'corr-1',
      data: {},
    });

    expect(event).toMatchObject({
      id: 'fixed-id',
      time: '2024-03-01T08:00:00.000Z',
      subject: '91350100M000100Y43',
      actordept: 'SAMR',
      correlationid: 'corr-1',
    });
  });

  it('makes events that parseCloudEvent reads back unchanged', () => {
    const event = createCloudEvent({
      type: 'credit.test.v1',
      source: '/test',
      subject: 's-1',
      data: { a: [1] },
    });

    expect(parseCloudEvent(json(event))).toEqual(event);
  });
});
