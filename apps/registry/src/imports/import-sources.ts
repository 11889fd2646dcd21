import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { DomainError } from '@credit/platform';
import { CsvParser } from './csv-parser';
import { ImportErrors } from './import.errors';

export const CSV_MEDIA_TYPE = 'text/csv';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type ImportFormat = 'csv' | 'xlsx';

/** An upload is refused past this size (the route's body is streamed, so fastify's own limit does not apply). */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;

/** The format of an upload from its Content-Type; CSV only in UTF-8 (a BOM is fine). */
export function importFormatOf(contentType: string | undefined): ImportFormat | undefined {
  if (!contentType) return undefined;
  const [essence, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (essence === XLSX_MEDIA_TYPE) return 'xlsx';
  if (essence !== CSV_MEDIA_TYPE) return undefined;
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' ? 'csv' : undefined;
}

export function unsupportedMediaType(contentType: string | undefined): DomainError {
  return new DomainError({
    error: ImportErrors.UNSUPPORTED_MEDIA_TYPE,
    detail: `send the file as ${CSV_MEDIA_TYPE} (UTF-8) or ${XLSX_MEDIA_TYPE}, not ${contentType ?? 'no content type'} (仅支持 UTF-8 CSV 或 XLSX 文件)`,
  });
}

/** One line of the file: `index` counts from the file's first line (0), blank lines included. */
export interface SourceRecord {
  index: number;
  cells: string[];
}

/**
 * The request body, read chunk by chunk, refusing more than `limit` bytes. After a failure the rest of the
 * upload is read and dropped, so that a client still sending gets the answer instead of a stalled socket.
 */
export class UploadBody {
  private readonly source: AsyncIterator<Buffer | string>;
  private received = 0;

  constructor(
    body: AsyncIterable<Buffer | string>,
    private readonly limit = IMPORT_MAX_BYTES,
  ) {
    this.source = body[Symbol.asyncIterator]();
  }

  async *chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const next = await this.source.next();
      if (next.done) return;
      const buffer = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      this.received += buffer.length;
      if (this.received > this.limit) {
        void this.source.return?.(); // closes the connection: the client is not read to the end
        throw new DomainError({
          error: ImportErrors.TOO_LARGE,
          detail: `an import file may have at most ${this.limit} bytes (文件过大): nothing was imported`,
        });
      }
      yield buffer;
    }
  }

  discardRest(): void {
    void (async () => {
      for (;;) {
        const next = await this.source.next();
        if (next.done) return;
        this.received += next.value.length;
        if (this.received > this.limit) {
          await this.source.return?.();
          return;
        }
      }
    })().catch(() => undefined); // the client went away: nothing left to read
  }
}

/** CSV records as they arrive, in the batches each network chunk completes. */
export async function* csvRecords(body: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord[]> {
  const decoder = new TextDecoder('utf-8'); // drops a leading BOM
  const parser = new CsvParser();
  let index = 0;
  const number = (records: string[][]) => records.map((cells) => ({ index: index++, cells }));
  for await (const chunk of body) {
    const records = parser.push(decoder.decode(chunk, { stream: true }));
    if (records.length > 0) yield number(records);
  }
  const rest = [...parser.push(decoder.decode()), ...parser.end()];
  if (rest.length > 0) yield number(rest);
}

const XLSX_BATCH = 500;

/** The first worksheet's rows, streamed (shared strings cached; dates as ISO dates). */
export async function* xlsxRecords(body: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord[]> {
  const reader = new (await loadExcel()).stream.xlsx.WorkbookReader(Readable.from(body), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'emit',
  });
  let batch: SourceRecord[] = [];
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = (row.values as unknown[]) ?? [];
      // row.values is 1-based (index 0 is empty)
      batch.push({ index: row.number - 1, cells: values.slice(1).map(cellText) });
      if (batch.length >= XLSX_BATCH) {
        yield batch;
        batch = [];
      }
    }
    break; // only the first worksheet is read
  }
  if (batch.length > 0) yield batch;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    // spreadsheet dates carry no zone: exceljs reads them as UTC; a whole day is an ISO date
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
  if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
  if (v.text !== undefined) return cellText(v.text);
  if (v.result !== undefined) return cellText(v.result);
  return '';
}

/** exceljs is large (some 25 MB resident): loaded on the first spreadsheet, not at start-up. */
async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
