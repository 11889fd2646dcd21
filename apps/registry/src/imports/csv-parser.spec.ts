import { CsvParser } from './csv-parser';

function parseInChunks(text: string, size: number): string[][] {
  const parser = new CsvParser();
  const records: string[][] = [];
  for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
  records.push(...parser.end());
  return records;
}

describe('CsvParser', () => {
  const text = 'a,b,c\r\n"quoted, with comma","say ""hi""","line\nbreak"\n,,\r\nlast,"",x';
  const expected = [
    ['a', 'b', 'c'],
    ['quoted, with comma', 'say "hi"', 'line\nbreak'],
    ['', '', ''],
    ['last', '', 'x'],
  ];

  it.each([1, 2, 3, 5, 7, 1000])('parses quoted fields, escapes and CRLF/LF in chunks of %i', (size) => {
    expect(parseInChunks(text, size)).toEqual(expected);
  });

  it('adds no empty record for a final line break, and keeps a stray quote inside a field', () => {
    expect(parseInChunks('x,5" pipe\r\n', 4)).toEqual([['x', '5" pipe']]);
  });

  it('refuses a quote left open at the end', () => {
    expect(() => parseInChunks('a,"open\n', 3)).toThrow(
      expect.objectContaining({ code: 'IMPORT.MALFORMED_CSV' }),
    );
  });
});
