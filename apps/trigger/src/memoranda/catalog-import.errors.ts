import { defineErrors, SharedImportErrors } from '@credit/platform';

/** IMPORT.* codes (see docs/errors.md). */
export const CatalogImportErrors = defineErrors({
  ...SharedImportErrors,
  UNREADABLE: {
    code: 'IMPORT.UNREADABLE',
    status: 422,
    message: 'the file is not a readable XLSX workbook',
  },
  INVALID_ROWS: {
    code: 'IMPORT.INVALID_ROWS',
    status: 422,
    message: '… problems in the workbook; nothing was imported',
  },
  ILLEGAL_MEASURES: {
    code: 'IMPORT.ILLEGAL_MEASURES',
    status: 422,
    message: '… measures break the rules of lawful measures; nothing was imported',
  },
});
