import { ActiveMeasure } from '../check-decision';
import { BindingRow } from './measure-queries';

/** A measure snapshot as `enforcement.assignments.measure` holds it. */
export interface MeasureSnapshot {
  code: string;
  text: string;
  mode: ActiveMeasure['mode'];
  actions: string[];
  legalBasis: string;
}

/**
 * The columns `COPY … TO STDOUT` sends for each binding row, in this order (decision 0065): the measure
 * snapshot by its md5 and its JSON text (decoded only the first time its md5 is met), periods as epoch
 * milliseconds, the legacy codes as an array literal, the row's `xmin` as its version.
 */
export const COPY_COLUMNS = `id, entry_id, subject_id, target_id, dept, list_type, list_colour,
    md5(m.text), m.text, floor(extract(epoch FROM period_from) * 1000)::float8,
    floor(extract(epoch FROM period_to) * 1000)::float8, target_role, subject_legacy_ids, xmin`;
const FIELDS = 14;
const [
  ID,
  ENTRY,
  SUBJECT,
  TARGET,
  DEPT,
  LIST_TYPE,
  COLOUR,
  KEY,
  MEASURE,
  FROM,
  UNTIL,
  ROLE,
  LEGACY,
  VERSION,
] = Array.from({ length: FIELDS }, (_, i) => i);

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const NO_CODES: readonly string[] = Object.freeze([]);
const INTERNED_MAX = 10_000;

/**
 * Binding rows out of `COPY (SELECT COPY_COLUMNS …) TO STDOUT` text, chunk by chunk as the stream gives
 * them (a row may straddle two chunks). No per-row object but the row itself: fields are found by their
 * byte offsets; the values many rows share (department, list type, colour, role, version, a target that
 * is its subject, the measure and the dates) are one string or object for all of them.
 */
export class BindingCopyReader {
  private carry?: Buffer;
  private readonly starts = new Int32Array(FIELDS);
  private readonly ends = new Int32Array(FIELDS);
  /** fields holding a backslash: COPY escaped something in them */
  private escaped = 0;
  private readonly interned = new Map<string, string>();

  constructor(
    /** parsed snapshots by md5, shared with the other reads of the same queries */
    private readonly measures: Map<string, MeasureSnapshot>,
    private readonly date: (ms: number) => Date,
  ) {}

  /** The rows completed by `chunk` (the last, partial one is kept for the next chunk). */
  rows(chunk: Buffer): BindingRow[] {
    let buf = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    const out: BindingRow[] = [];
    let start = 0;
    for (;;) {
      const end = this.split(buf, start);
      if (end < 0) break;
      out.push(this.row(buf));
      start = end + 1;
    }
    // copied: a view would keep the whole chunk alive
    if (start < buf.length) this.carry = Buffer.from(buf.subarray(start));
    return out;
  }

  /** The stream ended: nothing may be left half-read. */
  end(): void {
    if (this.carry?.length) throw new Error('the binding rows ended in the middle of a row');
  }

  /** Finds the fields of the row at `start`; its newline's offset, or -1 when the row is not complete. */
  private split(buf: Buffer, start: number): number {
    const { starts, ends } = this;
    let field = 0;
    let escaped = 0;
    starts[0] = start;
    for (let i = start; i < buf.length; i += 1) {
      const byte = buf[i];
      if (byte === TAB || byte === NEWLINE) {
        if (field >= FIELDS) throw new Error('a binding row came with more columns than read');
        ends[field] = i;
        if (byte === NEWLINE) {
          if (field !== FIELDS - 1) throw new Error('a binding row came with fewer columns than read');
          this.escaped = escaped;
          return i;
        }
        field += 1;
        starts[field] = i + 1;
      } else if (byte === BACKSLASH) {
        escaped |= 1 << field;
        i += 1; // the escaped character (a tab or newline in data is always escaped, never raw)
      }
    }
    return -1;
  }

  private row(buf: Buffer): BindingRow {
    const id = this.ascii(buf, ID);
    const subjectId = this.text(buf, SUBJECT)!;
    // nearly every row's target is its subject: one string for both
    const targetId = this.sameBytes(buf, SUBJECT, TARGET) ? subjectId : this.text(buf, TARGET)!;
    const key = this.ascii(buf, KEY);
    let measure = this.measures.get(key);
    if (!measure) {
      measure = JSON.parse(this.text(buf, MEASURE)!) as MeasureSnapshot;
      this.measures.set(key, measure);
    }
    const legacy = this.array(buf, LEGACY);
    return {
      id,
      version: this.shared(this.ascii(buf, VERSION)),
      keys: targetId === subjectId ? [targetId, ...legacy] : [targetId],
      measure: {
        assignmentId: id,
        entryId: this.ascii(buf, ENTRY),
        subjectId,
        dept: this.shared(this.text(buf, DEPT)!),
        listType: this.shared(this.text(buf, LIST_TYPE)!),
        listColour: this.shared(this.text(buf, COLOUR)!),
        measureCode: measure.code,
        measureText: measure.text,
        mode: measure.mode,
        actions: measure.actions,
        legalBasis: measure.legalBasis,
        from: this.date(Number(this.ascii(buf, FROM))),
        until: this.date(Number(this.ascii(buf, UNTIL))),
        targetRole: this.nullableShared(this.text(buf, ROLE)),
      },
    };
  }

  private shared(value: string): string {
    const known = this.interned.get(value);
    if (known !== undefined) return known;
    if (this.interned.size >= INTERNED_MAX) this.interned.clear();
    this.interned.set(value, value);
    return value;
  }

  private nullableShared(value: string | null): string | null {
    return value === null ? null : this.shared(value);
  }

  private sameBytes(buf: Buffer, a: number, b: number): boolean {
    const length = this.ends[a] - this.starts[a];
    if (length !== this.ends[b] - this.starts[b] || (this.escaped & ((1 << a) | (1 << b))) !== 0)
      return false;
    return buf.compare(buf, this.starts[a], this.ends[a], this.starts[b], this.ends[b]) === 0;
  }

  /** A column that is never escaped nor null (uuids, digests, numbers, transaction ids). */
  private ascii(buf: Buffer, field: number): string {
    return buf.toString('latin1', this.starts[field], this.ends[field]);
  }

  /** A text column: null for `\N`, COPY's escapes undone, UTF-8. */
  private text(buf: Buffer, field: number): string | null {
    const start = this.starts[field];
    const end = this.ends[field];
    if ((this.escaped & (1 << field)) === 0) return buf.toString('utf8', start, end);
    if (end - start === 2 && buf[start + 1] === 0x4e) return null; // \N
    return unescapeCopy(buf, start, end);
  }

  /** A one-dimensional text array (`{}`, `{A,B}`, `{"a b"}`): the legacy codes. */
  private array(buf: Buffer, field: number): readonly string[] {
    if (this.ends[field] - this.starts[field] === 2 && (this.escaped & (1 << field)) === 0) return NO_CODES;
    return parseTextArray(this.text(buf, field) ?? '{}');
  }
}

/** COPY's text format undone (PostgreSQL's `CopyReadAttributesText`): `\t`, `\n`, `\\`, octal, `\x`. */
export function unescapeCopy(buf: Buffer, start: number, end: number): string {
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i += 1) {
    const byte = buf[i];
    if (byte !== BACKSLASH || i + 1 >= end) {
      out[n++] = byte;
      continue;
    }
    const c = buf[++i];
    switch (c) {
      case 0x62: // b
        out[n++] = 0x08;
        break;
      case 0x66: // f
        out[n++] = 0x0c;
        break;
      case 0x6e: // n
        out[n++] = 0x0a;
        break;
      case 0x72: // r
        out[n++] = 0x0d;
        break;
      case 0x74: // t
        out[n++] = 0x09;
        break;
      case 0x76: // v
        out[n++] = 0x0b;
        break;
      case 0x78: {
        // x: one or two hex digits
        let value = 0;
        let digits = 0;
        while (digits < 2 && i + 1 < end && isHex(buf[i + 1])) {
          value = value * 16 + hexValue(buf[++i]);
          digits += 1;
        }
        out[n++] = digits === 0 ? c : value;
        break;
      }
      default:
        if (c >= 0x30 && c <= 0x37) {
          // one to three octal digits
          let value = c - 0x30;
          for (
            let digits = 1;
            digits < 3 && i + 1 < end && buf[i + 1] >= 0x30 && buf[i + 1] <= 0x37;
            digits++
          )
            value = value * 8 + (buf[++i] - 0x30);
          out[n++] = value & 0xff;
        } else out[n++] = c; // `\\` and any other character stand for themselves
    }
  }
  return out.toString('utf8', 0, n);
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/** PostgreSQL's text form of a one-dimensional `text[]` (`array_out`): quoted elements, `\` escapes. */
export function parseTextArray(literal: string): string[] {
  if (literal[0] !== '{' || literal[literal.length - 1] !== '}') throw new Error(`not an array: ${literal}`);
  const items: string[] = [];
  let i = 1;
  const last = literal.length - 1;
  while (i < last) {
    let item = '';
    if (literal[i] === '"') {
      for (i += 1; i < last && literal[i] !== '"'; i += 1)
        item += literal[i] === '\\' ? literal[++i] : literal[i];
      i += 1; // the closing quote
      items.push(item);
    } else {
      const comma = literal.indexOf(',', i);
      const stop = comma < 0 || comma > last ? last : comma;
      item = literal.slice(i, stop);
      if (item !== 'NULL') items.push(item);
      i = stop;
    }
    if (literal[i] === ',') i += 1;
  }
  return items;
}
