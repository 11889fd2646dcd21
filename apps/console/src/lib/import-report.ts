export interface ImportRejection {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportReport {
  id: string;
  status: string;
  mode: string;
  listType: string;
  total: number;
  accepted: number;
  rejected: number;
  rejections: ImportRejection[];
  startedAt: string;
  finishedAt: string | null;
  error: unknown;
}

/** Percent done while the import runs (the file's rows read so far over the rows announced). */
export function progressOf(
  report: Pick<ImportReport, 'status' | 'total' | 'accepted' | 'rejected'>,
  fileRows?: number,
): number {
  if (report.status !== 'running') return 100;
  const seen = report.accepted + report.rejected;
  const of = fileRows ?? report.total;
  return of > 0 ? Math.min(99, Math.floor((seen / of) * 100)) : 0;
}

/** One line per rejected row (a row may be rejected for several fields). */
export function rejectionsByRow(
  rejections: readonly ImportRejection[],
): { row: number; problems: ImportRejection[] }[] {
  const rows = new Map<number, ImportRejection[]>();
  for (const r of rejections) rows.set(r.row, [...(rows.get(r.row) ?? []), r]);
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([row, problems]) => ({ row, problems }));
}

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => r.some((cell) => cell !== ''));
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * The rejected rows of an uploaded CSV, as a CSV to correct and upload again: the header, each rejected
 * row as it was, and a last column 错误原因 with every problem of that row.
 */
export function rejectedRowsCsv(original: string, rejections: readonly ImportRejection[]): string {
  const [header, ...rows] = parseCsv(original);
  if (!header) return '';
  const lines = [[...header, '错误原因']];
  for (const { row, problems } of rejectionsByRow(rejections)) {
    const cells = rows[row - 1];
    if (!cells) continue;
    lines.push([...cells, problems.map((p) => `${p.field}: ${p.message} (${p.code})`).join('; ')]);
  }
  return `\uFEFF${lines.map((l) => l.map(quote).join(',')).join('\r\n')}\r\n`;
}
