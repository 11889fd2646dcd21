import { canonicalJson } from './canonical-json';

describe('canonicalJson (the bytes an exchange signature covers)', () => {
  it('sorts members by key at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same bytes whatever order the members were written in', () => {
    const one = { subject: { id: '91330106MA2H7QK4XQ', kind: 'legal_person' }, version: 1 };
    const two = { version: 1, subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ' } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts keys by UTF-16 code units and escapes strings as JSON does', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, 名: 'a"b\n' })).toBe('{"A":3,"z":2,"é":1,"名":"a\\"b\\n"}');
  });

  it('leaves out undefined members and refuses what JSON cannot carry', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });
});
