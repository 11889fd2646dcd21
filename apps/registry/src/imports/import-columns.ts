import { DomainError } from '@credit/platform';
import { ImportErrors } from './import.errors';

/** The columns of an import file; each accepts its English name or its Chinese heading. */
export const IMPORT_COLUMNS = {
  subjectKind: { required: true, names: ['主体类型'] },
  subjectId: { required: true, names: ['统一社会信用代码或身份证号', '统一社会信用代码', '身份证号'] },
  subjectName: { required: true, names: ['主体名称'] },
  documentNo: { required: true, names: ['决定文书号'] },
  decisionDate: { required: true, names: ['决定日期'] },
  facts: { required: true, names: ['失信事实'] },
  periodFrom: { required: false, names: ['公示期起'] },
  periodTo: { required: false, names: ['公示期止'] },
  periodReason: { required: false, names: ['公示期起算理由'] },
  noticedAt: { required: false, names: ['告知时间'] },
  noticeChannel: { required: false, names: ['告知方式'] },
  legalRepresentativeId: { required: false, names: ['法定代表人身份证号'] },
  legalRepresentativeName: { required: false, names: ['法定代表人姓名', '法定代表人'] },
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

/** Where each column is in a record (-1: absent). */
export type ColumnIndexes = Record<ImportColumn, number>;

const BY_HEADING = new Map<string, ImportColumn>(
  (Object.keys(IMPORT_COLUMNS) as ImportColumn[]).flatMap((column) => [
    [column.toLowerCase(), column] as const,
    ...IMPORT_COLUMNS[column].names.map((name) => [name, column] as const),
  ]),
);

/** Reads the header row; a missing required column is a 422 naming every one that is missing. */
export function readHeader(cells: readonly string[] | undefined): ColumnIndexes {
  const indexes = Object.fromEntries(
    (Object.keys(IMPORT_COLUMNS) as ImportColumn[]).map((c) => [c, -1]),
  ) as ColumnIndexes;
  (cells ?? []).forEach((cell, i) => {
    const column = BY_HEADING.get(cell.trim().replace(/[\s_]/g, '').toLowerCase());
    if (column && indexes[column] === -1) indexes[column] = i;
  });
  const missing = (Object.keys(IMPORT_COLUMNS) as ImportColumn[]).filter(
    (c) => IMPORT_COLUMNS[c].required && indexes[c] === -1,
  );
  if (missing.length > 0) {
    throw new DomainError({
      error: ImportErrors.MISSING_COLUMNS,
      detail: `the file ${cells ? 'lacks the columns' : 'is empty; it needs a header row with'} ${missing.join(', ')} (缺少必填列)`,
      extra: {
        missing,
        errors: missing.map((c) => ({
          field: c,
          code: ImportErrors.MISSING_COLUMNS.code,
          message: `column ${c} (${IMPORT_COLUMNS[c].names[0]}) is required`,
        })),
      },
    });
  }
  return indexes;
}
