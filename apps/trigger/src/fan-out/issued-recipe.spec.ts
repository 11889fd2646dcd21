import { randomUUID } from 'node:crypto';
import { issuedEventId } from './issued-recipe';

describe('issuedEventId', () => {
  it('derives one id per assignment: the same each time, a version 4 UUID, never the assignment id', () => {
    const ids = Array.from({ length: 5000 }, () => randomUUID());
    const derived = ids.map(issuedEventId);
    expect(new Set(derived).size).toBe(ids.length);
    for (const [i, id] of derived.entries()) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id).not.toBe(ids[i]);
      expect(issuedEventId(ids[i].toUpperCase())).toBe(id);
    }
    expect(issuedEventId('00000000-0000-4000-8000-000000000000')).toBe(
      '5c1e9a3b-7d24-4f68-bc5e-1902a7d4f86b',
    );
  });
});
