import { plainCheckBody, plainCheckHeaders } from './check.route';

/** What a check answered before Fastify must be (decision 0069); anything else is the route's. */
describe('a plain check', () => {
  const headers = { 'content-type': 'application/json', 'content-length': '80' };

  it('is JSON of a stated length up to 4 KiB, with no Expect and no chunks', () => {
    expect(plainCheckHeaders(headers)).toBe(true);
    expect(plainCheckHeaders({ ...headers, 'content-type': 'application/json; charset=utf-8' })).toBe(true);
    expect(plainCheckHeaders({ ...headers, 'content-type': 'text/plain' })).toBe(false);
    expect(plainCheckHeaders({ ...headers, 'content-type': 'application/json; charset=latin1' })).toBe(false);
    expect(plainCheckHeaders({ 'content-type': 'application/json' })).toBe(false);
    expect(plainCheckHeaders({ ...headers, 'content-length': '0' })).toBe(false);
    expect(plainCheckHeaders({ ...headers, 'content-length': '4097' })).toBe(false);
    expect(plainCheckHeaders({ ...headers, expect: '100-continue' })).toBe(false);
    expect(plainCheckHeaders({ ...headers, 'transfer-encoding': 'chunked' })).toBe(false);
  });

  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };

  it('has a body the route takes as it is', () => {
    expect(
      plainCheckBody('{"subject":{"id":"91330106MA27XQ5R3Y"},"action":"government_procurement_bid"}', parse),
    ).toEqual({ subjectId: '91330106MA27XQ5R3Y', action: 'government_procurement_bid' });
    expect(plainCheckBody('{"subject":{"id":"X1"},"action":"bid","stage":"approval"}', parse)).toEqual({
      subjectId: 'X1',
      action: 'bid',
      stage: 'approval',
    });
  });

  it('is not one when the route would refuse its body (left to the route, which says why)', () => {
    for (const text of [
      '{"subject": {', // not JSON
      '{"subject":{"id":"X1"},"action":"Bad Action"}', // the schema
      '{"subject":{"id":"X1"},"action":"bid","more":1}', // an unknown property
      '{"subject":{"id":"a\\u0007b"},"action":"bid"}', // a control character, escaped
      `{"subject":{"id":"X1"},"action":"bid","x":${'['.repeat(40)}${']'.repeat(40)}}`, // too deep
    ])
      expect({ text, body: plainCheckBody(text, parse) }).toEqual({ text, body: undefined });
  });
});
