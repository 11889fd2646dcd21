import { USCC_CHARSET } from '@credit/identifiers';
import { uscc } from './medium-registry';

/** What the bulk import's tests upload (the e2e volume tests and the medium spec of its rules). */

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
