/**
 * One entry of an error catalogue: the stable code department systems program against
 * (`LIST_ENTRY.NOT_OWNER`), the HTTP status it answers with, and what it means in words (also the
 * problem's `detail` when the thrower gives none). `field` names the request field it is about, if always
 * the same one. Declared once, in `<feature>/<feature>.errors.ts` (decision 0053).
 */
export interface ErrorSpec extends CodeSpec {
  readonly status: number;
  readonly field?: string;
}

/**
 * A stable code that is not an HTTP answer of its own: a field rule in the `errors` of a 400, a
 * dead-letter reason, a webhook delivery's failure. Declared in a catalogue with `defineCodes`.
 */
export interface CodeSpec {
  readonly code: string;
  readonly message: string;
}

/**
 * Where a catalogue's codes (`defineCodes`) show, each a section of docs/errors.md:
 * - `field`: `errors[].code` of a 400 `VALIDATION.FAILED` (and of an import's rejected rows);
 * - `dead-letter`: the reason a consumer parked an event (`dlq-code` header, `npm run dead-letters`);
 * - `delivery`: why a webhook delivery failed (the delivery log's `lastErrorCode`);
 * - `http`: the code of an HTTP error whose status has no code of its own;
 * - `exception`: an error thrown to the calling code for a misuse, never answered.
 */
export type CodeUse = 'field' | 'dead-letter' | 'delivery' | 'http' | 'exception';

const CATALOGUE = Symbol.for('credit.error-catalogue');
const CODE_CATALOGUE = Symbol.for('credit.code-catalogue');

/** An error catalogue: named entries, frozen, marked so the docs table (`npm run errors:table`) finds it. */
export type ErrorCatalogue<T extends Record<string, CodeSpec>> = Readonly<T>;

/** Declares a feature's error catalogue; spreading another catalogue's entries in shares them (same objects). */
export function defineErrors<const T extends Record<string, ErrorSpec>>(entries: T): ErrorCatalogue<T> {
  for (const entry of Object.values(entries)) Object.freeze(entry);
  // not enumerable: spreading a catalogue copies its entries, not the mark
  Object.defineProperty(entries, CATALOGUE, { value: true, enumerable: false });
  return Object.freeze(entries);
}

export function isErrorCatalogue(value: unknown): value is ErrorCatalogue<Record<string, ErrorSpec>> {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CATALOGUE] === true
  );
}

/** Declares a catalogue of codes that are not HTTP answers (field rules, dead-letter reasons, …), by use. */
export function defineCodes<const T extends Record<string, CodeSpec>>(
  use: CodeUse,
  entries: T,
): ErrorCatalogue<T> {
  for (const entry of Object.values(entries)) Object.freeze(entry);
  Object.defineProperty(entries, CODE_CATALOGUE, { value: use, enumerable: false });
  return Object.freeze(entries);
}

/** The use a `defineCodes` catalogue was declared for; undefined for anything else. */
export function codeCatalogueUse(value: unknown): CodeUse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<symbol, CodeUse | undefined>)[CODE_CATALOGUE];
}
