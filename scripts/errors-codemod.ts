/**
 * One-off conversion (decision 0053): every `new DomainError(code, status, message, field?, extra?)` and
 * every `notFound/forbidden/conflict/unprocessable(code, …)` call becomes
 * `new DomainError({ error: <Catalogue>.<KEY>, detail, field, extra })`, adding the entry to the
 * feature's catalogue (`<feature>/<feature>.errors.ts`) when it is missing. Idempotent: run it again after
 * a merge and it converts only the positional call sites that arrived since. Calls whose code or status is
 * not a literal are listed for a hand conversion.
 *
 *   npx tsx scripts/errors-codemod.ts [--dry]
 */
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const dry = process.argv.includes('--dry');

interface Catalogue {
  file: string; // relative to root
  name: string;
  prefix: string; // plain keys for this prefix; others get PREFIX_SUFFIX
  spreads?: string[]; // shared catalogues spread in first
}

const SHARED_FILE = 'libs/platform/src/errors/shared.errors.ts';
/** Codes raised by more than one service or by a library: declared once, in the platform library. */
const SHARED: Record<string, string> = {
  'ACCESS.OUTSIDE_REGION': 'AccessErrors',
  'IMPORT.EMPTY': 'SharedImportErrors',
  'IMPORT.TOO_LARGE': 'SharedImportErrors',
  'IMPORT.MISSING_COLUMNS': 'SharedImportErrors',
  'LIST_ENTRY.NOT_FOUND': 'SharedListEntryErrors',
  'LIST_ENTRY.NOT_OWNER': 'SharedListEntryErrors',
};
const SHARED_PREFIX: Record<string, string> = {
  AccessErrors: 'ACCESS',
  SharedImportErrors: 'IMPORT',
  SharedListEntryErrors: 'LIST_ENTRY',
};

/** service → code prefix → catalogue */
const CATALOGUES: Record<string, Record<string, Catalogue>> = {};
function cat(
  service: string,
  prefixes: string[],
  folder: string,
  base: string,
  name: string,
  spreads?: string[],
) {
  const c: Catalogue = {
    file: `apps/${service}/src/${folder}/${base}.errors.ts`,
    name,
    prefix: prefixes[0],
    spreads,
  };
  CATALOGUES[service] ??= {};
  for (const p of prefixes) CATALOGUES[service][p] = c;
}
cat('registry', ['LIST_ENTRY'], 'list-entries', 'list-entry', 'ListEntryErrors', ['SharedListEntryErrors']);
cat('registry', ['LIST_TYPE'], 'list-types', 'list-type', 'ListTypeErrors');
cat('registry', ['COMMITMENT'], 'commitments', 'commitment', 'CommitmentErrors');
cat('registry', ['DEPARTMENT'], 'departments', 'department', 'DepartmentErrors');
cat('registry', ['DEV'], 'dev-sign-in', 'dev-sign-in', 'DevSignInErrors');
cat('registry', ['DOCUMENT'], 'documents', 'document', 'DocumentErrors');
cat('registry', ['EXCHANGE'], 'exchange', 'exchange', 'ExchangeErrors');
cat('registry', ['IMPORT'], 'imports', 'import', 'ImportErrors', ['SharedImportErrors']);
cat('registry', ['OBJECTION'], 'objections', 'objection', 'ObjectionErrors');
cat('registry', ['PUBLICATION'], 'publication', 'publication', 'PublicationErrors');
cat('registry', ['REPAIR'], 'repairs', 'repair', 'RepairErrors');
cat('registry', ['STATEMENT'], 'statements', 'statement', 'StatementErrors');
cat('registry', ['SUBJECT', 'ALLOW_LIST'], 'subjects', 'subject', 'SubjectErrors');
cat('trigger', ['ASSIGNMENT'], 'assignments', 'assignment', 'AssignmentErrors');
cat('trigger', ['MEASURE'], 'memoranda', 'measure', 'MeasureErrors');
cat('trigger', ['MEMORANDUM'], 'memoranda', 'memorandum', 'MemorandumErrors');
cat('trigger', ['IMPORT'], 'memoranda', 'catalog-import', 'CatalogImportErrors', ['SharedImportErrors']);
cat('trigger', ['RESCREEN'], 'rescreen', 'rescreen', 'RescreenErrors');
cat('trigger', ['SUBSCRIPTION'], 'subscriptions', 'subscription', 'SubscriptionErrors');
cat('enforcement', ['ASSIGNMENT'], 'inbox', 'inbox', 'InboxErrors');
cat('enforcement', ['CHECK'], 'checks', 'check', 'CheckErrors');
cat('enforcement', ['DELIVERY', 'WEBHOOK_HOST', 'WEBHOOK_SECRET'], 'delivery', 'delivery', 'DeliveryErrors');
cat('enforcement', ['WATCH_LIST'], 'watch-lists', 'watch-list', 'WatchListErrors');
cat('tracking', ['ASSESSMENT'], 'reports', 'assessment', 'AssessmentErrors');
cat('tracking', ['CASE'], 'cases', 'case', 'CaseErrors');
cat('tracking', ['TRAIL'], 'trail', 'trail', 'TrailErrors');

/** A code answered with two statuses gets a second key for the other one. */
const VARIANT_KEYS: Record<string, string> = { 'LIST_TYPE.NOT_FOUND@422': 'NOT_FOUND_IN_REQUEST' };

const HELPERS: Record<string, number> = { notFound: 404, forbidden: 403, conflict: 409, unprocessable: 422 };

interface Entry {
  key: string;
  code: string;
  status: number;
  message: string;
}
interface Target {
  catalogue: string;
  file: string;
  prefix: string;
  spreads?: string[];
}

function targetOf(service: string | undefined, code: string): Target {
  const prefix = code.split('.')[0];
  const own = service ? CATALOGUES[service]?.[prefix] : undefined;
  if (own) return { catalogue: own.name, file: own.file, prefix: own.prefix, spreads: own.spreads };
  const shared = SHARED[code];
  if (shared) return { catalogue: shared, file: SHARED_FILE, prefix: SHARED_PREFIX[shared] };
  throw new Error(`no catalogue for ${code} in ${service ?? 'libs'}`);
}

function keyOf(target: Target, code: string, status: number, existing?: Entry): string {
  const variant = VARIANT_KEYS[`${code}@${status}`];
  if (variant) return variant;
  const [prefix, ...rest] = code.split('.');
  const key = prefix === target.prefix ? rest.join('_') : code.replace(/\./g, '_');
  if (existing && existing.status !== status)
    throw new Error(`${code} answered with ${status} and ${existing.status}`);
  return key;
}

// ---------- reading catalogues as they stand ----------

/** Entries of every catalogue file: file → catalogue name → entries (code/status/key). */
function readCatalogue(file: string): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  const abs = path.join(root, file);
  if (!fs.existsSync(abs)) return out;
  const sf = ts.createSourceFile(abs, fs.readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (!init || !ts.isCallExpression(init) || init.expression.getText() !== 'defineErrors') continue;
      const obj = init.arguments[0];
      if (!obj || !ts.isObjectLiteralExpression(obj)) continue;
      const entries: Entry[] = [];
      for (const p of obj.properties) {
        if (!ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer)) continue;
        const fields = p.initializer;
        const get = (n: string) => {
          const q = fields.properties.find(
            (x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === n,
          );
          return q?.initializer;
        };
        const code = get('code');
        const status = get('status');
        if (code && ts.isStringLiteral(code) && status && ts.isNumericLiteral(status)) {
          entries.push({ key: p.name.getText(), code: code.text, status: Number(status.text), message: '' });
        }
      }
      out.set(d.name.getText(), entries);
    }
  }
  return out;
}

// ---------- finding call sites ----------

interface Site {
  file: string;
  node: ts.NewExpression | ts.CallExpression;
  code: string;
  status: number;
  detail?: ts.Expression;
  field?: ts.Expression;
  extra?: ts.Expression;
}

const files = execSync("git ls-files -co --exclude-standard 'apps/*.ts' 'libs/*.ts'", {
  cwd: root,
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .filter(
    (f) =>
      !f.startsWith('apps/console/') &&
      !/spec\.ts$|\.medium-cases\.ts$/.test(f) &&
      fs.existsSync(path.join(root, f)),
  );

const isUndefined = (e?: ts.Expression) => !e || (ts.isIdentifier(e) && e.text === 'undefined');
const serviceOf = (f: string) => (f.startsWith('apps/') ? f.split('/')[1] : undefined);

const manual: string[] = [];
const sitesByFile = new Map<string, { sf: ts.SourceFile; sites: Site[]; text: string }>();
for (const file of files) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  if (!/DomainError|notFound|forbidden|conflict|unprocessable/.test(text)) continue;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: Site[] = [];
  const where = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    let args: readonly ts.Expression[] | undefined;
    let status: number | undefined;
    let helper: string | undefined;
    if (ts.isNewExpression(n) && n.expression.getText() === 'DomainError') {
      args = n.arguments ?? [];
      if (args.length === 1)
        args = undefined; // converted already: one object
      else if (args[1] && ts.isNumericLiteral(args[1])) status = Number(args[1].text);
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text in HELPERS) {
      helper = n.expression.text;
      args = n.arguments;
      status = HELPERS[helper];
    }
    if (args) {
      const code = args[0];
      if (!code || !ts.isStringLiteral(code) || status === undefined) {
        if (!file.endsWith('libs/platform/src/domain-error.ts'))
          manual.push(`${where(n)}  ${n.getText().slice(0, 90)}`);
      } else if (helper) {
        const [, detail, third] = args;
        sites.push({
          file,
          node: n as ts.CallExpression,
          code: code.text,
          status,
          detail,
          field: helper === 'unprocessable' && !isUndefined(third) ? third : undefined,
          extra: helper === 'conflict' && !isUndefined(third) ? third : undefined,
        });
      } else {
        const [, , detail, field, extra] = args;
        sites.push({
          file,
          node: n as ts.NewExpression,
          code: code.text,
          status,
          detail,
          field: isUndefined(field) ? undefined : field,
          extra: isUndefined(extra) ? undefined : extra,
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (sites.length) sitesByFile.set(file, { sf, sites, text });
}

// ---------- catalogue entries needed ----------

const catalogueFiles = new Map<string, Map<string, Entry[]>>(); // file → name → entries
const catalogueMeta = new Map<string, Target>(); // name@file → target
const added = new Map<string, Entry[]>(); // name@file → new entries
const keyFor = new Map<Site, { target: Target; key: string }>();

function messageOf(e?: ts.Expression): string {
  if (!e) return '';
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    return e.head.text + e.templateSpans.map((s) => `…${s.literal.text}`).join('');
  }
  return '';
}

for (const { sites } of sitesByFile.values()) {
  for (const site of sites) {
    const target = targetOf(serviceOf(site.file), site.code);
    if (!catalogueFiles.has(target.file)) catalogueFiles.set(target.file, readCatalogue(target.file));
    const known = catalogueFiles.get(target.file)!;
    const id = `${target.catalogue}@${target.file}`;
    catalogueMeta.set(id, target);
    const entries = known.get(target.catalogue) ?? [];
    known.set(target.catalogue, entries);
    // a code declared in a spread-in shared catalogue is reached through this one
    const sharedEntry = (target.spreads ?? []).some((s) => SHARED[site.code] === s);
    const existing = entries.find((e) => e.code === site.code && e.status === site.status);
    const key = existing?.key ?? keyOf(target, site.code, site.status);
    if (sharedEntry) {
      const sharedTarget = targetOf(undefined, site.code);
      if (!catalogueFiles.has(SHARED_FILE)) catalogueFiles.set(SHARED_FILE, readCatalogue(SHARED_FILE));
      const sharedEntries = catalogueFiles.get(SHARED_FILE)!;
      const list = sharedEntries.get(sharedTarget.catalogue) ?? [];
      sharedEntries.set(sharedTarget.catalogue, list);
      catalogueMeta.set(`${sharedTarget.catalogue}@${SHARED_FILE}`, sharedTarget);
      if (!list.find((e) => e.code === site.code)) {
        const entry = { key, code: site.code, status: site.status, message: messageOf(site.detail) };
        list.push(entry);
        added.set(`${sharedTarget.catalogue}@${SHARED_FILE}`, [
          ...(added.get(`${sharedTarget.catalogue}@${SHARED_FILE}`) ?? []),
          entry,
        ]);
      }
      if (!catalogueMeta.has(id)) catalogueMeta.set(id, target);
      added.set(id, added.get(id) ?? []);
    } else if (!existing) {
      const clash = entries.find((e) => e.key === key);
      if (clash)
        throw new Error(
          `${site.file}: key ${key} of ${site.code}/${site.status} already used by ${clash.code}/${clash.status}`,
        );
      const entry = { key, code: site.code, status: site.status, message: messageOf(site.detail) };
      entries.push(entry);
      added.set(id, [...(added.get(id) ?? []), entry]);
    } else if (!existing.message) {
      existing.message = messageOf(site.detail);
    }
    keyFor.set(site, { target, key });
  }
}

// ---------- writing catalogues ----------

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const entryText = (e: Entry) =>
  `  ${e.key}: {\n    code: ${q(e.code)},\n    status: ${e.status},\n    message: ${q(e.message || e.code)},\n  },\n`;

function importPath(from: string, to: string): string {
  if (to === SHARED_FILE && from.startsWith('apps/')) return '@credit/platform';
  let rel = path.relative(path.dirname(from), to).replace(/\.ts$/, '');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

const platformImport = (file: string) =>
  file.startsWith('libs/platform/')
    ? importPath(file, 'libs/platform/src/domain-error.ts')
    : '@credit/platform';

for (const [id, entries] of added) {
  const target = catalogueMeta.get(id)!;
  const abs = path.join(root, target.file);
  const sorted = [...entries];
  if (fs.existsSync(abs) && readCatalogue(target.file).has(target.catalogue)) {
    if (sorted.length === 0) continue;
    // append before the closing `});` of this catalogue's defineErrors call
    let text = fs.readFileSync(abs, 'utf8');
    const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true);
    let end = -1;
    sf.forEachChild((st) => {
      if (!ts.isVariableStatement(st)) return;
      for (const d of st.declarationList.declarations) {
        if (d.name.getText() === target.catalogue && d.initializer && ts.isCallExpression(d.initializer)) {
          end = d.initializer.arguments[0].getEnd() - 1; // the `}`
        }
      }
    });
    text = text.slice(0, end) + sorted.map(entryText).join('') + text.slice(end);
    if (!dry) fs.writeFileSync(abs, text);
    console.log(`${target.file}: ${target.catalogue} + ${sorted.map((e) => e.key).join(', ')}`);
    continue;
  }
  let text = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
  const imports: string[] = [];
  if (!text.includes('defineErrors'))
    imports.push(`import { defineErrors } from '${platformImport(target.file)}';\n`);
  for (const s of target.spreads ?? []) {
    if (!text.includes(` ${s} `) && !text.includes(`{ ${s}`)) {
      imports.push(`import { ${s} } from '${importPath(target.file, SHARED_FILE)}';\n`);
    }
  }
  const spread = (target.spreads ?? []).map((s) => `  ...${s},\n`).join('');
  const block =
    `\n/** ${target.prefix}.* codes (see docs/errors.md). */\n` +
    `export const ${target.catalogue} = defineErrors({\n${spread}${sorted.map(entryText).join('')}});\n`;
  text = imports.join('') + (text ? text.replace(/^(import [^\n]*\n)+/, (m) => m) : '') + block;
  if (imports.length && text.indexOf('import') !== 0) text = imports.join('') + text;
  if (!dry) {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  console.log(`${target.file}: new ${target.catalogue} (${sorted.length})`);
}

// ---------- rewriting call sites ----------

let converted = 0;
for (const [file, { sites, text }] of sitesByFile) {
  const edits: { start: number; end: number; text: string }[] = [];
  const needed = new Map<string, Set<string>>(); // import path → names
  const need = (from: string, name: string) => needed.set(from, (needed.get(from) ?? new Set()).add(name));
  for (const site of sites) {
    const { target, key } = keyFor.get(site)!;
    const members = [`error: ${target.catalogue}.${key}`];
    if (site.detail) members.push(`detail: ${site.detail.getText()}`);
    if (site.field) members.push(`field: ${site.field.getText()}`);
    if (site.extra) members.push(`extra: ${site.extra.getText()}`);
    edits.push({
      start: site.node.getStart(),
      end: site.node.getEnd(),
      text: `new DomainError({ ${members.join(', ')} })`,
    });
    if (path.resolve(root, target.file) !== path.resolve(root, file))
      need(importPath(file, target.file), target.catalogue);
    if (!file.endsWith('libs/platform/src/domain-error.ts')) need(platformImport(file), 'DomainError');
    converted++;
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);

  // imports: drop helpers no longer used, add catalogues and DomainError
  const after = ts.createSourceFile(file, out, ts.ScriptTarget.Latest, true);
  const importEdits: { start: number; end: number; text: string }[] = [];
  const body = out;
  const used = (name: string, decl: ts.ImportDeclaration) =>
    new RegExp(`\\b${name}\\b`).test(body.slice(0, decl.getStart()) + body.slice(decl.getEnd()));
  for (const st of after.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const from = st.moduleSpecifier.text;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named) || st.importClause?.isTypeOnly) continue;
    const names = named.elements.map((e) => e.getText());
    let keep = names.filter((n) => !(n in HELPERS) || used(n, st));
    const add = needed.get(from);
    if (add) {
      for (const n of add) if (!keep.includes(n)) keep.push(n);
      needed.delete(from);
    }
    keep = keep.sort((a, b) =>
      a.replace(/^type /, '').localeCompare(b.replace(/^type /, ''), 'en', { sensitivity: 'base' }),
    );
    if (keep.join() !== names.join()) {
      importEdits.push({
        start: st.getStart(),
        end: st.getEnd(),
        text: keep.length ? `import { ${keep.join(', ')} } from '${from}';` : '',
      });
    }
  }
  for (const e of importEdits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (needed.size) {
    const lines = [...needed].map(
      ([from, names]) => `import { ${[...names].sort().join(', ')} } from '${from}';\n`,
    );
    // after the last import
    const last = [...after.statements].filter(ts.isImportDeclaration).pop();
    const at = last ? out.indexOf('\n', out.indexOf(last.getText().split('\n').pop()!, 0)) + 1 : 0;
    out = out.slice(0, at) + lines.join('') + out.slice(at);
  }
  out = out.replace(/\n\n\n+/g, '\n\n');
  if (!dry) fs.writeFileSync(path.join(root, file), out);
}

console.log(`${converted} call sites converted`);
if (manual.length) console.log(`to convert by hand:\n  ${manual.join('\n  ')}`);
