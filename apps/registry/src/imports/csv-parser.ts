import { DomainError } from '@credit/platform';
import { ImportErrors } from './import.errors';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** a quote inside a quoted field: the field's end, or the first half of an escaped `""` */
  QuoteInQuoted,
}

/**
 * An incremental RFC 4180 parser: quoted fields (with commas, line breaks and `""` escapes), CRLF or LF
 * line ends. Text is fed in chunks of any size; complete records come back as they end. A stray quote
 * inside an unquoted field is kept as text, as spreadsheet programs do.
 */
export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private record: string[] = [];
  /** the last chunk ended with CR: a LF opening the next one belongs to the same line end */
  private skipLf = false;

  push(chunk: string): string[][] {
    const records: string[][] = [];
    const n = chunk.length;
    let i = 0;
    let start = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (n > 0 && chunk.charCodeAt(0) === LF) i = start = 1;
    }
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (this.state === State.Quoted) {
        if (c === QUOTE) {
          this.field += chunk.slice(start, i);
          this.state = State.QuoteInQuoted;
          start = i + 1;
        }
        i += 1;
        continue;
      }
      if (this.state === State.QuoteInQuoted) {
        if (c === QUOTE) {
          this.field += '"';
          this.state = State.Quoted;
          start = i + 1;
          i += 1;
          continue;
        }
        this.state = State.Unquoted; // the quoted part ended; what follows is handled as unquoted text
      }
      if (c === COMMA) {
        this.record.push(this.field + chunk.slice(start, i));
        this.field = '';
        this.state = State.FieldStart;
        start = i + 1;
      } else if (c === LF || c === CR) {
        this.record.push(this.field + chunk.slice(start, i));
        records.push(this.record);
        this.record = [];
        this.field = '';
        this.state = State.FieldStart;
        if (c === CR) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === LF) i += 1;
          } else {
            this.skipLf = true;
          }
        }
        start = i + 1;
      } else if (c === QUOTE && this.state === State.FieldStart) {
        this.state = State.Quoted;
        start = i + 1;
      } else {
        this.state = State.Unquoted;
      }
      i += 1;
    }
    if (start < n) this.field += chunk.slice(start, n);
    return records;
  }

  /** The last record when the text does not end with a line break; refuses an unterminated quote. */
  end(): string[][] {
    if (this.state === State.Quoted) {
      throw new DomainError({
        error: ImportErrors.MALFORMED_CSV,
        detail: 'the file ends inside a quoted field (引号未闭合): nothing was imported',
      });
    }
    if (this.state === State.FieldStart && this.record.length === 0 && this.field === '') return [];
    this.record.push(this.field);
    const last = this.record;
    this.record = [];
    this.field = '';
    this.state = State.FieldStart;
    return [last];
  }
}
