import { USCC_CHARSET } from '@credit/identifiers';
import type { ImportView } from '../../apps/registry/src/imports/import-job.entity';
import { idNumber, uscc } from './medium-registry';

/** What the bulk import's tests upload and read (the e2e volume tests and the medium cases of its rules). */

/** The columns of an import file by their English names, in the order the tests write them. */
export const IMPORT_HEADER = [
  'subjectKind',
  'subjectId',
  'subjectName',
  'documentNo',
  'decisionDate',
  'facts',
  'legalRepresentativeId',
  'legalRepresentativeName',
];

/** The columns of a publish-mode file: the above, and when and how each subject was told (告知). */
export const IMPORT_NOTICE_HEADER = [...IMPORT_HEADER, 'noticedAt', 'noticeChannel'];

/** When the subjects of a publish-mode file were told (告知), as the file says: long enough ago. */
export const IMPORT_TOLD = '2026-10-02T10:00:00+08:00';

/** Rows told by post at IMPORT_TOLD (under IMPORT_NOTICE_HEADER). */
export const toldByPost = (rows: string[][]) => rows.map((r) => [...r, IMPORT_TOLD, 'post']);

export const IMPORT_CSV = 'text/csv';

/** An import's answer as the tests read it: its report (ImportView), or a problem (code, columns, fields). */
export type ImportReport = ImportView & { code?: string; missing?: string[]; errors?: { field: string }[] };

/**
 * The events written to registry's outbox, pending there or published and moved to the narrow log, in
 * one statement (a row the relay moves meanwhile is counted once); the documents job's events are not
 * an import's (it serves earlier imports' documents meanwhile). `SELECT count(*) FROM ${this}`.
 */
export const IMPORT_EVENTS_WRITTEN = `(SELECT event_type FROM registry.message_outbox
    WHERE event_type <> 'credit.document.issued.v1'
  UNION ALL SELECT event_type FROM registry.message_published
    WHERE event_type <> 'credit.document.issued.v1') written`;

/**
 * `count` valid rows, numbered from 0: companies of `prefix` (importCompany), every 10th from the 4th with
 * its legal representative (李<n>, born 1970-01-01), and every 50th from the 50th an individual born on
 * `birth`.
 */
export function validImportRows(prefix: string, count: number, birth = '19800115'): string[][] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 50 === 49) {
      const id = idNumber(birth, String((i - 49) / 50).padStart(3, '0'));
      return ['individual', id, `张${i}`, `(2026)浙0106执${i}号`, '2026-10-01', '拒不履行', '', ''];
    }
    const rep = i % 10 === 3 ? [idNumber('19700101', String(i % 1000).padStart(3, '0')), `李${i}`] : ['', ''];
    return [
      'legal_person',
      importCompany(prefix, i),
      `杭州某某${i}有限公司`,
      `(2026)浙0106执${i}号`,
      '2026-10-01',
      '有履行能力而拒不履行, "生效"文书',
      ...rep,
    ];
  });
}

/** A valid unified code per (prefix, n): 2 prefix characters and n in base 31 over the USCC characters. */
export function importCompany(prefix: string, n: number): string {
  let body = '';
  for (let i = 0, v = n; i < 6; i += 1, v = Math.floor(v / 31)) body = USCC_CHARSET[v % 31] + body;
  return uscc(prefix + body);
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV file of the rows under `header`, with CRLF line ends. */
export const importCsv = (rows: string[][], header = IMPORT_HEADER) =>
  [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

/**
 * The seven bad rows of the draft imports, one broken rule each, written over `rows` at the indices `at`:
 * a wrong check character of rows[0]'s code, an impossible birth date, a kind of subject COURT_DEFAULTER
 * does not take, no name, an impossible decision date, rows[0]'s subject again, and a legal representative
 * with an impossible birth date. Their companies are numbered n + 1 to n + 4 (after the valid rows').
 */
export function withBadImportRows(rows: string[][], prefix: string, n: number, at: number[]): string[][] {
  const good = rows[0][1];
  const bad = [
    [
      'legal_person',
      good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A'),
      '坏校验码公司',
      'x',
      '2026-10-01',
      'f',
      '',
      '',
    ],
    ['individual', idNumber('19900230'), '王五', 'x', '2026-10-01', 'f', '', ''],
    ['unincorporated_org', importCompany(prefix, n + 1), '某协会', 'x', '2026-10-01', 'f', '', ''],
    ['legal_person', importCompany(prefix, n + 2), '', 'x', '2026-10-01', 'f', '', ''],
    ['legal_person', importCompany(prefix, n + 3), '日期错公司', 'x', '2026-02-30', 'f', '', ''],
    ['legal_person', good, '重复公司', 'x', '2026-10-01', 'f', '', ''],
    [
      'legal_person',
      importCompany(prefix, n + 4),
      '坏代表人公司',
      'x',
      '2026-10-01',
      'f',
      idNumber('19700230'),
      '赵六',
    ],
  ];
  at.forEach((index, i) => (rows[index] = bad[i]));
  return rows;
}
