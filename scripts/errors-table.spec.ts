import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueEntries, duplicateCodes, ERROR_TABLE_FILE, renderErrorTable } from './errors-table';

describe('the error code table (docs/errors.md)', () => {
  it('is up to date with the catalogues (npm run errors:table)', () => {
    expect(readFileSync(join(__dirname, '..', ERROR_TABLE_FILE), 'utf8')).toBe(renderErrorTable());
  });

  it('declares each code once for each status it answers with', () => {
    expect(duplicateCodes(catalogueEntries())).toEqual([]);
  });

  it('finds a duplicate: one code declared in two catalogues', () => {
    const entries = catalogueEntries();
    const copy = { ...entries[0], entry: { ...entries[0].entry }, names: ['Copy.X'], file: 'x.errors.ts' };
    expect(duplicateCodes([...entries, copy])).toEqual([expect.stringContaining(entries[0].entry.code)]);
  });

  it('gives every entry a code of PREFIX.NAME, an HTTP error status and a meaning', () => {
    for (const { entry } of catalogueEntries()) {
      expect(entry.code).toMatch(/^[A-Z][A-Z_]*\.[A-Z][A-Z0-9_]*$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.message.length).toBeGreaterThan(0);
    }
  });
});
