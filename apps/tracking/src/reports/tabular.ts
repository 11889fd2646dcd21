import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { neutraliseCell } from '@credit/platform';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(neutraliseCell(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM, so spreadsheet programs read the Chinese headers right. */
export function toCsv<T>(columns: Column<T>[], rows: T[]): Buffer {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

export async function toXlsx<T>(
  sheetName: string,
  columns: Column<T>[],
  rows: T[],
  title?: string,
): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  const sheet = book.addWorksheet(sheetName);
  if (title) {
    sheet.addRow([title]).font = { bold: true };
  }
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  // a cell that a spreadsheet would run as a formula is written as text (CSV injection)
  for (const row of rows) sheet.addRow(columns.map((c) => neutraliseCell(c.value(row))));
  sheet.columns.forEach((column) => (column.width = 18));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends the rows as a CSV or XLSX download named `name`.csv|xlsx (XLSX: one sheet, a title row). */
export async function sendTable<T>(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  table: { name: string; sheet: string; title: string; columns: Column<T>[]; rows: T[] },
): Promise<void> {
  const body =
    format === 'xlsx'
      ? await toXlsx(table.sheet, table.columns, table.rows, table.title)
      : toCsv(table.columns, table.rows);
  void reply
    .header('content-type', format === 'xlsx' ? XLSX_TYPE : CSV_TYPE)
    .header('content-disposition', `attachment; filename="${encodeURIComponent(table.name)}.${format}"`)
    .send(body);
}

/** exceljs is large (some 25 MB resident): loaded on the first spreadsheet, not at start-up. */
async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
