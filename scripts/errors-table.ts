/**
 * npm run errors:table — writes docs/errors.md: every error code the platform answers with, from the
 * feature catalogues (`**\/*.errors.ts`, decision 0053): code, HTTP status, meaning, the catalogue that
 * declares it and the service features that raise it. `--check` compares instead of writing (exit 1 when
 * out of date); scripts/errors-table.spec.ts checks the same and that no code is declared twice.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  codeCatalogueUse,
  isErrorCatalogue,
  type CodeSpec,
  type CodeUse,
  type ErrorSpec,
} from '@credit/contracts';

const ROOT = join(__dirname, '..');
export const ERROR_TABLE_FILE = 'docs/errors.md';

/** The sources (not tests) of apps/ and libs/, without the console and the migrations. */
export function serviceSourceFiles(root = ROOT): string[] {
  return [...sourceFiles(join(root, 'apps')), ...sourceFiles(join(root, 'libs'))];
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'console' || name === 'migrations') continue;
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !/\.(medium-)?spec\.ts$|\.(medium-cases|test-support)\.ts$/.test(name))
      out.push(path);
  }
  return out;
}

interface Declared<E extends CodeSpec = ErrorSpec> {
  entry: E;
  catalogue: string; // Name (file)
  file: string;
  names: string[]; // `Catalogue.KEY` spellings that reach it
}

/** The catalogue files (`*.errors.ts`) under apps/ and libs/, as paths relative to `root`, and loaded. */
export function catalogueFiles(root = ROOT): { file: string; exports: Record<string, unknown> }[] {
  return serviceSourceFiles(root)
    .filter((f) => f.endsWith('.errors.ts'))
    .sort()
    .map((file) => ({
      file: relative(root, file).split(sep).join('/'),
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- catalogues found on disk
      exports: require(file) as Record<string, unknown>,
    }));
}

/** Every catalogue entry, by identity (a shared entry spread into a feature's catalogue is one entry). */
export function catalogueEntries(root = ROOT): Declared[] {
  return entriesOf(root, (value) => (isErrorCatalogue(value) ? (value as Record<string, ErrorSpec>) : null));
}

/** Every entry of the `defineCodes` catalogues declared for `use` (field codes, dead-letter reasons, …). */
export function codeEntries(use: CodeUse, root = ROOT): Declared<CodeSpec>[] {
  return entriesOf(root, (value) =>
    codeCatalogueUse(value) === use ? (value as Record<string, CodeSpec>) : null,
  );
}

function entriesOf<E extends CodeSpec>(
  root: string,
  catalogue: (value: unknown) => Record<string, E> | null,
): Declared<E>[] {
  const byEntry = new Map<E, Declared<E>>();
  for (const { file: rel, exports } of catalogueFiles(root)) {
    for (const [name, value] of Object.entries(exports)) {
      const entries = catalogue(value);
      if (!entries) continue;
      for (const [key, entry] of Object.entries(entries)) {
        const known = byEntry.get(entry);
        if (known) known.names.push(`${name}.${key}`);
        else byEntry.set(entry, { entry, catalogue: name, file: rel, names: [`${name}.${key}`] });
      }
    }
  }
  // declaration order of the spread-in shared entries: the declaring catalogue first
  return [...byEntry.values()];
}

/**
 * Codes declared more than once with the same status (one code answering two statuses is two entries),
 * or, for codes without a status, more than once for the same use.
 */
export function duplicateCodes(entries: Declared<CodeSpec & { status?: number | string }>[]): string[] {
  const seen = new Map<string, Declared<CodeSpec>>();
  const duplicates: string[] = [];
  for (const d of entries) {
    const key = `${d.entry.code} ${d.entry.status}`;
    const first = seen.get(key);
    if (first) duplicates.push(`${key}: ${first.names[0]} (${first.file}) and ${d.names[0]} (${d.file})`);
    else seen.set(key, d);
  }
  return duplicates;
}

/** service: feature folders whose code names the entry (or, for entries looked up by code, its catalogue). */
function raisedBy<E extends CodeSpec>(entries: Declared<E>[], root: string): Map<E, string[]> {
  const sources = serviceSourceFiles(root).map((f) => ({
    where: featureOf(relative(root, f).split(sep).join('/')),
    text: readFileSync(f, 'utf8'),
    catalogueFile: f.endsWith('.errors.ts'),
  }));
  const out = new Map<E, string[]>();
  for (const d of entries) {
    const places = new Set<string>();
    const pattern = new RegExp(`\\b(${d.names.map((n) => n.replace('.', '\\.')).join('|')})\\b`);
    for (const s of sources) if (!s.catalogueFile && pattern.test(s.text)) places.add(s.where);
    if (places.size === 0) places.add(featureOf(d.file));
    out.set(d.entry, [...places].sort());
  }
  return out;
}

function featureOf(file: string): string {
  const [top, name, , folder] = file.split('/');
  const service = top === 'libs' ? `${name} (library)` : name;
  return folder && !folder.endsWith('.ts') ? `${service}: ${folder}` : service;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The sections of codes that are not HTTP answers of their own, in the order the table lists them. */
const CODE_SECTIONS: readonly { use: CodeUse; title: string; intro: string[] }[] = [
  {
    use: 'http',
    title: 'Other HTTP errors',
    intro: ['An HTTP error of a status that has no code of its own above answers with this code.'],
  },
  {
    use: 'field',
    title: 'Field codes (`errors[].code`)',
    intro: [
      'Each field listed in `errors` of a 400 `VALIDATION.FAILED` names the rule it breaks; the rejected',
      "rows of a list-entry import use the same codes (beside a feature's own, such as",
      "`LIST_ENTRY.SUBJECT_KIND_NOT_ALLOWED`). The field's `message` says what the rule asks for. The",
      'codes "raised by" the platform are the rules of the request classes, which the validation pipe reports',
      'for every service.',
    ],
  },
  {
    use: 'delivery',
    title: 'Webhook delivery failures (`lastErrorCode`)',
    intro: [
      'Why a webhook delivery failed, as the delivery log (`GET /deliveries`) gives it in `lastErrorCode`;',
      'when the URL policy refuses the address at delivery time, the `WEBHOOK_URL.*` code above instead.',
    ],
  },
  {
    use: 'dead-letter',
    title: 'Dead-letter reasons (operators)',
    intro: [
      'A consumer parks an event it can never apply on `<topic>.dlq` with one of these codes (header',
      '`dlq-code`, metric label `code`); `npm run dead-letters -- list` shows them (docs/runbook.md).',
    ],
  },
  {
    use: 'exception',
    title: 'Codes of programming errors',
    intro: ['The `code` of an error thrown to the calling code for a misuse; no client or operator sees it.'],
  },
];

function codeSection(root: string, { use, title, intro }: (typeof CODE_SECTIONS)[number]): string[] {
  const entries = codeEntries(use, root).sort((a, b) => a.entry.code.localeCompare(b.entry.code));
  const raised = raisedBy(entries, root);
  return [
    `## ${title}`,
    '',
    ...intro,
    '',
    '| Code | Meaning | Raised by | Catalogue |',
    '| --- | --- | --- | --- |',
    ...entries.map(
      ({ entry, names, file }) =>
        `| \`${entry.code}\` | ${cell(entry.message)} | ${(raised.get(entry) ?? []).join('; ')} | ` +
        `[\`${names[0]}\`](../${file}) |`,
    ),
    '',
  ];
}

export function renderErrorTable(root = ROOT): string {
  const entries = catalogueEntries(root).sort(
    (a, b) => a.entry.code.localeCompare(b.entry.code) || a.entry.status - b.entry.status,
  );
  const raised = raisedBy(entries, root);
  const rows = entries.map(
    ({ entry, names, file }) =>
      `| \`${entry.code}\` | ${entry.status} | ${cell(entry.message)}${entry.field ? ` (field \`${entry.field}\`)` : ''} | ` +
      `${(raised.get(entry) ?? []).join('; ')} | [\`${names[0]}\`](../${file}) |`,
  );
  return [
    '# Error codes',
    '',
    '<!-- generated by `npm run errors:table` from the catalogues (`*.errors.ts`); do not edit by hand -->',
    '',
    'Every error the platform answers with is RFC 9457 problem details (`application/problem+json`) with a',
    'stable `code`. Department systems match on `code` (and `status`), never on `detail`, whose words may',
    'change. A problem about one request field also lists it in `errors` (`field`, `code`, `message`);',
    'a 400 `VALIDATION.FAILED` lists every field with a `VALIDATION.<RULE>` code (`VALIDATION.IS_UUID`,',
    '`VALIDATION.MAX_LENGTH`, …) named after the broken rule (listed under "Field codes" below). Some codes',
    'carry extension members (for example `overlappingEntryId` with `LIST_ENTRY.OVERLAPPING`, `retryAfter`',
    'with `QUOTA.EXCEEDED`). A code listed with two statuses answers with each in the situation its',
    'meaning says. Below the HTTP errors: the field codes, webhook delivery failures and dead-letter reasons.',
    '',
    `${entries.length} codes. "Raised by" names the service and feature folder that throws it.`,
    '',
    '| Code | Status | Meaning | Raised by | Catalogue |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...CODE_SECTIONS.flatMap((section) => codeSection(root, section)),
  ].join('\n');
}

/** A code written as a string literal (`'LIST_ENTRY.NOT_FOUND'`): where it is not declared, a copy. */
const CODE_LITERAL = /(['"])([A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*)\1/g;

/** The code literals of a source text, as `line code`. */
export function codeLiterals(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => [...line.matchAll(CODE_LITERAL)].map((m) => `${i + 1} ${m[2]}`));
}

/**
 * Code literals outside the catalogues (`*.errors.ts`) in the sources of apps/ and libs/ (not the
 * console, which is a client of the codes, nor migrations, which are history), as `file:line code`.
 */
export function literalCodesOutsideCatalogues(root = ROOT): string[] {
  return serviceSourceFiles(root)
    .filter((file) => !file.endsWith('.errors.ts'))
    .flatMap((file) =>
      codeLiterals(readFileSync(file, 'utf8')).map(
        (hit) => `${relative(root, file).split(sep).join('/')}:${hit}`,
      ),
    );
}

/** Codes declared twice: among the HTTP errors (per status), and within each section of other codes. */
export function allDuplicateCodes(root = ROOT): string[] {
  return [
    ...duplicateCodes(catalogueEntries(root)),
    ...CODE_SECTIONS.flatMap(({ use }) => duplicateCodes(codeEntries(use, root))),
  ];
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const text = renderErrorTable();
  const duplicates = allDuplicateCodes();
  if (duplicates.length > 0) {
    console.error(`codes declared twice:\n  ${duplicates.join('\n  ')}`);
    process.exit(1);
  }
  const path = join(ROOT, ERROR_TABLE_FILE);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = '';
  }
  if (current === text) console.log(`${ERROR_TABLE_FILE}: up to date`);
  else if (check) {
    console.error(`${ERROR_TABLE_FILE} is out of date: run npm run errors:table`);
    process.exit(1);
  } else {
    writeFileSync(path, text);
    console.log(
      `${ERROR_TABLE_FILE}: written (${text.split('\n').filter((l) => l.startsWith('| `')).length} codes)`,
    );
  }
}
