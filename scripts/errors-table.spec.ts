import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { fieldCode, ValidationErrors } from '@credit/platform';
import {
  allDuplicateCodes,
  catalogueEntries,
  codeEntries,
  duplicateCodes,
  codeLiterals,
  ERROR_TABLE_FILE,
  literalCodesOutsideCatalogues,
  renderErrorTable,
  serviceSourceFiles,
} from './errors-table';

describe('the error code table (docs/errors.md)', () => {
  it('is up to date with the catalogues (npm run errors:table)', () => {
    expect(readFileSync(join(__dirname, '..', ERROR_TABLE_FILE), 'utf8')).toBe(renderErrorTable());
  });

  it('declares each code once for each status it answers with (or each use it has)', () => {
    expect(allDuplicateCodes()).toEqual([]);
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

  it('lists the field codes, delivery failures and dead-letter reasons, each a PREFIX.NAME with a meaning', () => {
    const table = renderErrorTable();
    for (const [use, code] of [
      ['field', 'VALIDATION.IS_UUID'],
      ['delivery', 'DELIVERY.TIMEOUT'],
      ['dead-letter', 'MESSAGE.INVALID_PAYLOAD'],
      ['dead-letter', 'FEEDBACK.OUT_OF_ORDER'],
    ] as const) {
      expect(codeEntries(use).map((d) => d.entry.code)).toContain(code);
      expect(table).toContain(`| \`${code}\` |`);
    }
    for (const use of ['http', 'field', 'delivery', 'dead-letter', 'exception'] as const) {
      for (const { entry } of codeEntries(use)) {
        expect(entry.code).toMatch(/^[A-Z][A-Z_]*\.[A-Z][A-Z0-9_]*$/);
        expect(entry.message.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('code literals', () => {
  it('appear in the catalogues (*.errors.ts) only: elsewhere a code is named by its entry', () => {
    expect(literalCodesOutsideCatalogues()).toEqual([]);
  });

  it('are told from other strings', () => {
    const text = [
      "throw new RejectedEventError('FEEDBACK.SOMETHING', 'not applied');",
      'const code = "DELIVERY.SOMEHOW";',
      "// in words: `VALIDATION.FAILED`, 'lower.case', 'A.b', 'v1.2', `VALIDATION.${rule}`",
    ].join('\n');
    expect(codeLiterals(text)).toEqual(['1 FEEDBACK.SOMETHING', '2 DELIVERY.SOMEHOW']);
  });
});

describe('the field codes (VALIDATION.*)', () => {
  it("have an entry for every class-validator rule of the services' request classes", () => {
    const storage = getMetadataStorage();
    const catalogued = new Set<string>(Object.values(ValidationErrors).map((e) => e.code));
    const missing = new Set<string>();
    for (const file of requestClassFiles()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the request classes found on disk
      for (const value of Object.values(require(file) as Record<string, unknown>)) {
        if (typeof value !== 'function') continue;
        for (const m of storage.getTargetValidationMetadatas(value, '', false, false)) {
          if (m.type === 'conditionalValidation') continue; // IsOptional, ValidateIf: no rule of their own
          const names =
            m.type === 'customValidation'
              ? storage.getTargetValidatorConstraints(m.constraintCls).map((c) => c.name)
              : [m.type];
          for (const name of names) {
            const code = fieldCode(name);
            if (!catalogued.has(code)) missing.add(`${code} (${relative(join(__dirname, '..'), file)})`);
          }
        }
      }
    }
    expect([...missing]).toEqual([]);
  });
});

/** Sources declaring request classes with class-validator's decorators (not the services' configuration). */
function requestClassFiles(): string[] {
  return serviceSourceFiles().filter(
    (file) =>
      !/(config|secret-cipher)\.ts$/.test(file) &&
      /from 'class-validator'/.test(readFileSync(file, 'utf8')) &&
      !file.includes('/libs/contracts/'), // event payloads, not requests
  );
}
