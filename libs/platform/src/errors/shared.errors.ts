import { defineErrors } from '../domain-error';

/** ACCESS.* codes (see docs/errors.md). */
export const AccessErrors = defineErrors({
  OUTSIDE_REGION: {
    code: 'ACCESS.OUTSIDE_REGION',
    status: 403,
    message: 'this supervisor oversees region … only',
  },
});

/** LIST_ENTRY.* codes (see docs/errors.md). */
export const SharedListEntryErrors = defineErrors({
  NOT_FOUND: {
    code: 'LIST_ENTRY.NOT_FOUND',
    status: 404,
    message: 'list entry … does not exist',
  },
  NOT_OWNER: {
    code: 'LIST_ENTRY.NOT_OWNER',
    status: 403,
    message: 'list type … is owned by …; … may not list on it',
  },
});

/** IMPORT.* codes (see docs/errors.md). */
export const SharedImportErrors = defineErrors({
  MISSING_COLUMNS: {
    code: 'IMPORT.MISSING_COLUMNS',
    status: 422,
    message: 'the file lacks required columns; `missing` lists them (缺少必填列)',
  },
  TOO_LARGE: {
    code: 'IMPORT.TOO_LARGE',
    status: 413,
    message: 'an import file may have at most … bytes (文件过大): nothing was imported',
  },
  EMPTY: {
    code: 'IMPORT.EMPTY',
    status: 422,
    message: 'the workbook has no data rows',
  },
});
