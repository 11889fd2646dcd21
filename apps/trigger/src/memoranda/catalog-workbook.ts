import type ExcelJS from 'exceljs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { CreateMemorandumDto } from './memorandum.dto';
import { CatalogImportErrors } from './catalog-import.errors';

/**
 * A measure catalog as a workbook: one row per measure on the first sheet, memorandum columns repeated
 * on each of its rows; lists (list types, subject kinds, related roles, actions, signatories) separated
 * by commas, 、 or ；. Headers in English or Chinese.
 */
export const CATALOG_COLUMNS: Record<string, string[]> = {
  memorandumCode: ['memorandumCode', '备忘录编号'],
  title: ['title', '备忘录名称'],
  documentNo: ['documentNo', '文号'],
  listTypes: ['listTypes', '名单类型'],
  signatories: ['signatories', '签署部门'],
  effectiveFrom: ['effectiveFrom', '生效日期'],
  effectiveTo: ['effectiveTo', '失效日期'],
  code: ['measureCode', '措施编号'],
  text: ['text', '措施内容'],
  kind: ['kind', '措施类别'],
  dept: ['dept', '实施部门'],
  legalBasis: ['legalBasis', '法律依据'],
  subjectKinds: ['subjectKinds', '主体类型'],
  relatedRoles: ['relatedRoles', '关联人员'],
  actions: ['actions', '适用事项'],
  mode: ['mode', '实施方式'],
  feedbackWorkingDays: ['feedbackWorkingDays', '反馈时限'],
  // optional, decision 0031: what an entry must show for the measure to reach it
  minSeverity: ['minSeverity', '最低严重程度'],
  minAmount: ['minAmount', '金额下限'],
  violationKinds: ['violationKinds', '违法类型'],
};

const LIST_COLUMNS = new Set([
  'listTypes',
  'signatories',
  'subjectKinds',
  'relatedRoles',
  'actions',
  'violationKinds',
]);
const REQUIRED = [
  'memorandumCode',
  'title',
  'documentNo',
  'listTypes',
  'code',
  'text',
  'kind',
  'dept',
  'legalBasis',
  'subjectKinds',
  'actions',
  'mode',
  'feedbackWorkingDays',
];

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  return String(value).trim();
}

const splitList = (text: string) =>
  text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Parses and validates a catalog workbook into memoranda, or refuses it naming every bad row and field. */
export async function readCatalogWorkbook(file: Buffer): Promise<CreateMemorandumDto[]> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new DomainError({
      error: CatalogImportErrors.UNREADABLE,
      detail: 'the file is not a readable XLSX workbook',
    });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount < 2)
    throw new DomainError({ error: CatalogImportErrors.EMPTY, detail: 'the workbook has no data rows' });
  const header = Array.from(sheet.getRow(1).values as ExcelJS.CellValue[], cellText);
  const columnOf: Record<string, number> = {};
  for (const [field, names] of Object.entries(CATALOG_COLUMNS)) {
    const index = header.findIndex((h) => names.some((n) => n.toLowerCase() === h.toLowerCase()));
    if (index > 0) columnOf[field] = index;
  }
  const missing = REQUIRED.filter((f) => !(f in columnOf));
  if (missing.length > 0) {
    throw new DomainError({
      error: CatalogImportErrors.MISSING_COLUMNS,
      detail: `missing columns: ${missing.join(', ')}`,
      field: missing[0],
    });
  }

  const memoranda = new Map<
    string,
    Record<string, unknown> & { measures: Record<string, unknown>[]; rows: number[] }
  >();
  for (let r = 2; r <= sheet.rowCount; r += 1) {
    const values = sheet.getRow(r).values as ExcelJS.CellValue[];
    const cell = (field: string) => (columnOf[field] ? cellText(values[columnOf[field]]) : '');
    if (Object.keys(columnOf).every((f) => cell(f) === '')) continue; // blank line
    const value = (field: string) => (LIST_COLUMNS.has(field) ? splitList(cell(field)) : cell(field));
    const code = cell('memorandumCode');
    const memorandum = memoranda.get(code) ?? {
      code,
      title: value('title'),
      documentNo: value('documentNo'),
      listTypes: value('listTypes'),
      ...(cell('signatories') ? { signatories: value('signatories') } : {}),
      ...(cell('effectiveFrom') ? { effectiveFrom: value('effectiveFrom') } : {}),
      ...(cell('effectiveTo') ? { effectiveTo: value('effectiveTo') } : {}),
      measures: [],
      rows: [],
    };
    memorandum.measures.push({
      code: value('code'),
      text: value('text'),
      kind: value('kind'),
      dept: value('dept'),
      legalBasis: value('legalBasis'),
      subjectKinds: value('subjectKinds'),
      ...(cell('relatedRoles') ? { relatedRoles: value('relatedRoles') } : {}),
      actions: value('actions'),
      mode: value('mode'),
      feedbackWorkingDays: Number(cell('feedbackWorkingDays')),
      ...(cell('minSeverity') ? { minSeverity: value('minSeverity') } : {}),
      ...(cell('minAmount') || cell('violationKinds')
        ? {
            conditions: {
              ...(cell('minAmount') ? { minAmount: Number(cell('minAmount')) } : {}),
              ...(cell('violationKinds') ? { violationKinds: value('violationKinds') } : {}),
            },
          }
        : {}),
    });
    memorandum.rows.push(r);
    memoranda.set(code, memorandum);
  }

  const result: CreateMemorandumDto[] = [];
  const errors: { field: string; code: string; message: string }[] = [];
  for (const { rows, ...plain } of memoranda.values()) {
    const dto = plainToInstance(CreateMemorandumDto, plain);
    for (const v of flattenValidationErrors(
      validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }),
    )) {
      // measures.3.actions → the sheet row of that measure
      const match = /^measures\.(\d+)\.?(.*)$/.exec(v.field);
      const row = match ? rows[Number(match[1])] : rows[0];
      errors.push({
        field: `row ${row}: ${match ? match[2] || 'measure' : v.field}`,
        code: `VALIDATION.${v.constraint}`,
        message: v.message,
      });
    }
    result.push(dto);
  }
  if (errors.length > 0) {
    throw new DomainError({
      error: CatalogImportErrors.INVALID_ROWS,
      detail: `${errors.length} problems in the workbook; nothing was imported`,
      extra: {
        errors,
      },
    });
  }
  return result;
}

/** exceljs is large (some 25 MB resident): loaded on the first spreadsheet, not at start-up. */
async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
