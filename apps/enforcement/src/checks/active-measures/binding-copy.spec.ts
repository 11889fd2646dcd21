import { BindingCopyReader, MeasureSnapshot, parseTextArray, unescapeCopy } from './binding-copy';

const MEASURE = {
  code: 'BAN',
  text: '限制\t采购\\活动',
  mode: 'block',
  actions: ['bid'],
  legalBasis: 'art. 1',
};
/** A value as COPY's text format writes it. */
const copy = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const line = (over: {
  id: string;
  subject?: string;
  target?: string;
  role?: string;
  legacy?: string;
  key?: string;
}) =>
  [
    over.id,
    'e0000000-0000-0000-0000-000000000001',
    over.subject ?? '91330106MA2H7QK4XA',
    over.target ?? over.subject ?? '91330106MA2H7QK4XA',
    'FINANCE',
    'COURT_DEFAULTER',
    'red',
    over.key ?? 'd41d8cd98f00b204e9800998ecf8427e',
    copy(JSON.stringify(MEASURE)),
    '1767225600000',
    '1893456000000',
    over.role === undefined ? '\\N' : copy(over.role),
    over.legacy ?? '{}',
    '7654',
  ].join('\t') + '\n';

describe('BindingCopyReader: binding rows out of COPY text (decision 0065)', () => {
  const reader = () => new BindingCopyReader(new Map<string, MeasureSnapshot>(), (ms) => new Date(ms));

  it('reads a row whole: keys, measure, periods, role, version; escapes undone', () => {
    const [row] = reader().rows(Buffer.from(line({ id: 'a1', legacy: '{MA2H7QK4X,"B C"}' })));
    expect(row.id).toBe('a1');
    expect(row.version).toBe('7654');
    expect(row.keys).toEqual(['91330106MA2H7QK4XA', 'MA2H7QK4X', 'B C']);
    expect(row.measure).toMatchObject({
      assignmentId: 'a1',
      subjectId: '91330106MA2H7QK4XA',
      dept: 'FINANCE',
      listType: 'COURT_DEFAULTER',
      listColour: 'red',
      measureCode: 'BAN',
      measureText: '限制\t采购\\活动',
      mode: 'block',
      actions: ['bid'],
      targetRole: null,
    });
    expect(row.measure.from.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(row.measure.until.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it("a related person's row is held under its own identifier only, with its role", () => {
    const [row] = reader().rows(
      Buffer.from(line({ id: 'p1', target: '330106199001011234', role: 'legal\trep', legacy: '{X}' })),
    );
    expect(row.keys).toEqual(['330106199001011234']);
    expect(row.measure.targetRole).toBe('legal\trep');
  });

  it('rows cut anywhere between chunks come out the same; a measure parsed once for all its rows', () => {
    const text = Buffer.from(Array.from({ length: 50 }, (_, i) => line({ id: `r${i}` })).join(''));
    for (const size of [1, 7, 64, 333]) {
      const r = reader();
      const rows = [];
      for (let at = 0; at < text.length; at += size) rows.push(...r.rows(text.subarray(at, at + size)));
      r.end();
      expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
      // one snapshot parsed for every row
      expect(new Set(rows.map((row) => row.measure.actions)).size).toBe(1);
    }
  });

  it('a stream that ends inside a row, or a row of the wrong width, is refused', () => {
    const r = reader();
    r.rows(Buffer.from(line({ id: 'x' }).slice(0, 20)));
    expect(() => r.end()).toThrow('middle of a row');
    expect(() => reader().rows(Buffer.from('a\tb\n'))).toThrow('fewer columns');
  });

  it("undoes COPY's escapes and reads array literals as PostgreSQL writes them", () => {
    const escaped = Buffer.from('a\\tb\\nc\\\\d\\101\\x42\\q');
    expect(unescapeCopy(escaped, 0, escaped.length)).toBe('a\tb\nc\\dABq');
    expect(parseTextArray('{}')).toEqual([]);
    expect(parseTextArray('{A,B}')).toEqual(['A', 'B']);
    expect(parseTextArray('{"a b","c\\"d",NULL}')).toEqual(['a b', 'c"d']);
  });
});
