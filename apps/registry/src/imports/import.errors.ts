import { defineErrors, SharedImportErrors } from '@credit/platform';

/** IMPORT.* codes (see docs/errors.md). */
export const ImportErrors = defineErrors({
  ...SharedImportErrors,
  MALFORMED_CSV: {
    code: 'IMPORT.MALFORMED_CSV',
    status: 422,
    message: 'the file ends inside a quoted field (引号未闭合): nothing was imported',
  },
  ALREADY_EXISTS: {
    code: 'IMPORT.ALREADY_EXISTS',
    status: 409,
    message: 'an import with id … already exists',
  },
  FAILED: {
    code: 'IMPORT.FAILED',
    status: 500,
    message: 'the import failed and nothing was stored (导入失败，未保存任何数据); its record says why',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    code: 'IMPORT.UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    message: 'send the file as text/csv (UTF-8) or as an XLSX workbook (仅支持 UTF-8 CSV 或 XLSX 文件)',
  },
  NOT_FOUND: {
    code: 'IMPORT.NOT_FOUND',
    status: 404,
    message: 'import … does not exist',
  },
  // row codes: a rejected row of an import names one of these (or a LIST_ENTRY.*/VALIDATION.* code)
  NOTICE_REQUIRED: {
    code: 'IMPORT.NOTICE_REQUIRED',
    status: 422,
    message: 'a row to publish has no notice (noticedAt and noticeChannel); 未告知不得公示',
  },
  DUPLICATE_SUBJECT: {
    code: 'IMPORT.DUPLICATE_SUBJECT',
    status: 422,
    message: 'the subject already appears in an earlier row of the file (同一主体重复)',
  },
  MISSING_VALUE: {
    code: 'IMPORT.MISSING_VALUE',
    status: 422,
    message: 'a required column of the row is empty (必填)',
  },
});
