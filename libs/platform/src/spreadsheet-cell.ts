/** What makes a spreadsheet program read a cell as a formula (CSV injection): =, +, -, @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell of an export made harmless: one that a spreadsheet would run as a formula
 * (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) gets a leading `'`, so it is shown as the text it is (OWASP's
 * advice on CSV injection). Numbers are left alone: a negative figure stays a number.
 */
export function neutraliseCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
