import { canonicalJson, GENESIS_HASH, trailHash } from './trail-hash';

describe('trail hash', () => {
  const fields = {
    eventId: 'e1',
    type: 'credit.list-entry.published.v1',
    time: '2026-11-23T00:00:00.000Z',
    actorDept: 'COURT',
    data: { b: 1, a: { d: [1, 2], c: 'x' } },
  };

  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(trailHash(GENESIS_HASH, fields)).toBe(
      trailHash(GENESIS_HASH, { ...fields, data: { a: { c: 'x', d: [1, 2] }, b: 1 } }),
    );
  });

  it('changes when the content or the previous hash changes', () => {
    const h = trailHash(GENESIS_HASH, fields);
    expect(trailHash(GENESIS_HASH, { ...fields, actorDept: 'TAX' })).not.toBe(h);
    expect(trailHash(GENESIS_HASH, { ...fields, data: { b: 2, a: { d: [1, 2], c: 'x' } } })).not.toBe(h);
    expect(trailHash(h, fields)).not.toBe(h);
  });
});
