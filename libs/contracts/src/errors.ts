/**
 * One entry of an error catalogue: the stable code department systems program against
 * (`LIST_ENTRY.NOT_OWNER`), the HTTP status it answers with, and what it means in words (also the
 * problem's `detail` when the thrower gives none). `field` names the request field it is about, if always
 * the same one. Declared once, in `<feature>/<feature>.errors.ts` (decision 0053).
 */
export interface ErrorSpec {
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly field?: string;
}

const CATALOGUE = Symbol.for('credit.error-catalogue');

/** An error catalogue: named entries, frozen, marked so the docs table (`npm run errors:table`) finds it. */
export type ErrorCatalogue<T extends Record<string, ErrorSpec>> = Readonly<T>;

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
