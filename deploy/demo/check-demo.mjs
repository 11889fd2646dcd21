#!/usr/bin/env node
// Validates the demo seed data in this folder (departments, list types, memoranda) against the
// shapes of POST /v1/departments, /v1/list-types and /v1/memoranda (../shared/API.md) and a few
// domain rules. Plain Node ESM, no dependencies:  node deploy/demo/check-demo.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const load = (name) => JSON.parse(readFileSync(join(here, name), 'utf8'));

const departments = load('departments.json');
const listTypes = load('list-types.json');
const memoranda = load('memoranda.json');

const SUBJECT_KINDS = ['legal_person', 'unincorporated_org', 'individual', 'individual_business'];
const ENTITY_KINDS = ['legal_person', 'unincorporated_org']; // kinds that have related persons
const RELATED_ROLES = ['legal_representative', 'principal'];
const COLOURS = ['red', 'black'];
const INFO_CLASSES = ['A', 'B', 'C'];
const SEVERITY_BANDS = { minor: [1, 92], general: [90, 366], serious: [365, 1096] };
const MEASURE_KINDS = ['punishment', 'incentive'];
const MODES = ['block', 'warn', 'reference', 'priority'];
const LAW_LEVELS = [
  'law',
  'administrative_regulation',
  'judicial_interpretation',
  'central_document',
  'local_regulation',
];
const LEGAL_LEVELS = [...LAW_LEVELS, 'department_rule', 'memorandum'];
const DEPT_CODE = /^[A-Z0-9_-]{2,32}$/;
const LIST_CODE = /^[A-Z0-9_-]{2,64}$/;
const MEMO_CODE = /^[A-Z0-9_.-]{2,64}$/;
const ACTION = /^[a-z0-9_]{2,64}$/;
const REGION = /^\d{6}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const errors = [];
const fail = (where, msg) => errors.push(`${where}: ${msg}`);
const isText = (v, max = Infinity) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
const isInt = (v, min, max) => Number.isInteger(v) && v >= min && v <= max;
const hasCJK = (v) => typeof v === 'string' && /[\u4e00-\u9fff]/.test(v);
function checkKeys(where, obj, allowed) {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(where, `unknown field "${k}"`);
}
function checkSet(where, field, arr, allowed, { nonEmpty = true } = {}) {
  if (!Array.isArray(arr)) return fail(where, `${field} must be an array`);
  if (nonEmpty && arr.length === 0) fail(where, `${field} must not be empty`);
  if (new Set(arr).size !== arr.length) fail(where, `${field} has duplicates`);
  for (const v of arr)
    if (!allowed.includes(v)) fail(where, `${field}: "${v}" is not one of ${allowed.join(', ')}`);
}
function unique(where, codes) {
  const seen = new Set();
  for (const c of codes) {
    if (seen.has(c)) fail(where, `duplicate code ${c}`);
    seen.add(c);
  }
}

// ── departments ──────────────────────────────────────────────────────────────
if (!Array.isArray(departments)) fail('departments.json', 'must be an array');
const deptCodes = new Set(departments.map((d) => d.code));
unique(
  'departments.json',
  departments.map((d) => d.code),
);
for (const d of departments) {
  const w = `department ${d.code}`;
  checkKeys(w, d, ['code', 'name', 'region']);
  if (!DEPT_CODE.test(d.code ?? '')) fail(w, 'code must be 2–32 of A–Z, 0–9, _ or -');
  if (!isText(d.name, 200) || !hasCJK(d.name)) fail(w, 'name must be Chinese text (≤ 200)');
  if (!REGION.test(d.region ?? '')) fail(w, 'region must be a 6-digit division code');
}
if (departments.length < 16) fail('departments.json', `needs ≥ 16 departments, has ${departments.length}`);

// ── list types ───────────────────────────────────────────────────────────────
const listTypeByCode = new Map(listTypes.map((t) => [t.code, t]));
unique(
  'list-types.json',
  listTypes.map((t) => t.code),
);
for (const t of listTypes) {
  const w = `list type ${t.code}`;
  checkKeys(w, t, [
    'code',
    'name',
    'colour',
    'ownerDept',
    'legalBasis',
    'infoClass',
    'severity',
    'defaultPeriodDays',
    'subjectKinds',
    'noticeWorkingDays',
    'suspendOnObjection',
    'objectionWorkingDays',
    'criteria',
    'exitConditions',
    'openEndedAllowed',
    'extension',
    'excludedSubjects',
    'endsOnBlackListing',
  ]);
  if (!LIST_CODE.test(t.code ?? '')) fail(w, 'code must be 2–64 of A–Z, 0–9, _ or -');
  if (!isText(t.name, 200) || !hasCJK(t.name)) fail(w, 'name must be Chinese text (≤ 200)');
  if (!COLOURS.includes(t.colour)) fail(w, `colour "${t.colour}" invalid`);
  if (!deptCodes.has(t.ownerDept)) fail(w, `ownerDept ${t.ownerDept} is not in departments.json`);
  if (!isText(t.legalBasis)) fail(w, 'legalBasis required');
  if (!INFO_CLASSES.includes(t.infoClass)) fail(w, `infoClass "${t.infoClass}" invalid`);
  const band = SEVERITY_BANDS[t.severity];
  if (!band) fail(w, `severity "${t.severity}" invalid`);
  else if (!isInt(t.defaultPeriodDays, band[0], band[1]))
    fail(w, `defaultPeriodDays ${t.defaultPeriodDays} outside the ${t.severity} band ${band[0]}–${band[1]}`);
  checkSet(w, 'subjectKinds', t.subjectKinds, SUBJECT_KINDS);
  if (!isInt(t.noticeWorkingDays, 0, 60)) fail(w, 'noticeWorkingDays must be an integer 0–60');
  if (typeof t.suspendOnObjection !== 'boolean') fail(w, 'suspendOnObjection must be boolean');
  if (!isInt(t.objectionWorkingDays, 1, 20)) fail(w, 'objectionWorkingDays must be an integer 1–20');
  if (!isText(t.criteria, 5000) || !hasCJK(t.criteria)) fail(w, 'criteria must be Chinese text (≤ 5000)');
  if (!isText(t.exitConditions, 5000) || !hasCJK(t.exitConditions))
    fail(w, 'exitConditions must be Chinese text (≤ 5000)');
  // periods and exits as the law sets them (decision 0033)
  if (
    t.extension !== undefined &&
    !(isInt(t.extension.minDays, 1, 3650) && isInt(t.extension.maxDays, t.extension.minDays, 3650))
  )
    fail(w, 'extension needs minDays ≤ maxDays, integers 1–3650');
  if (t.excludedSubjects !== undefined) checkSet(w, 'excludedSubjects', t.excludedSubjects, ['minors']);
  if (t.endsOnBlackListing && t.colour !== 'red') fail(w, 'endsOnBlackListing applies to red lists only');
  if (t.noticeWorkingDays === 0 && t.colour === 'black' && !/告知|送达/.test(t.criteria ?? ''))
    fail(w, 'a black list without a notice period must explain its own notice procedure in criteria');
}
for (const colour of COLOURS)
  if (!listTypes.some((t) => t.colour === colour)) fail('list-types.json', `no ${colour} list type`);

// ── memoranda and measures ──────────────────────────────────────────────────
unique(
  'memoranda.json',
  memoranda.map((m) => m.code),
);
const allMeasures = memoranda.flatMap((m) => (m.measures ?? []).map((x) => ({ ...x, memo: m.code })));
unique(
  'measures (across all memoranda)',
  allMeasures.map((x) => x.code),
);
const actionModes = new Map(); // action -> Set of kinds, to spot reused names
for (const m of memoranda) {
  const w = `memorandum ${m.code}`;
  checkKeys(w, m, ['code', 'title', 'documentNo', 'listTypes', 'measures', 'signatories', 'effectiveFrom']);
  if (!MEMO_CODE.test(m.code ?? '')) fail(w, 'code must be 2–64 of A–Z, 0–9, _ . or -');
  if (!isText(m.title, 500) || !hasCJK(m.title)) fail(w, 'title must be Chinese text (≤ 500)');
  if (!isText(m.documentNo)) fail(w, 'documentNo required');
  if (!Array.isArray(m.listTypes) || m.listTypes.length === 0) fail(w, 'listTypes must be a non-empty array');
  const types = (m.listTypes ?? []).map((c) => listTypeByCode.get(c));
  (m.listTypes ?? []).forEach((c, i) => {
    if (!types[i]) fail(w, `list type ${c} is not in list-types.json`);
  });
  const known = types.filter(Boolean);
  const kindsOfLists = new Set(known.flatMap((t) => t.subjectKinds));
  const colours = new Set(known.map((t) => t.colour));
  if (m.signatories !== undefined) {
    checkSet(w, 'signatories', m.signatories, [...deptCodes]);
  }
  if (
    m.effectiveFrom !== undefined &&
    (!ISO_DATE.test(m.effectiveFrom) || Number.isNaN(Date.parse(m.effectiveFrom)))
  )
    fail(w, `effectiveFrom "${m.effectiveFrom}" is not an ISO date`);
  if (!Array.isArray(m.measures) || m.measures.length === 0) {
    fail(w, 'measures must be a non-empty array');
    continue;
  }
  for (const x of m.measures) {
    const mw = `${w} measure ${x.code}`;
    checkKeys(mw, x, [
      'code',
      'text',
      'kind',
      'dept',
      'legalBasis',
      'legalBases',
      'subjectKinds',
      'relatedRoles',
      'actions',
      'mode',
      'feedbackWorkingDays',
    ]);
    if (!MEMO_CODE.test(x.code ?? '')) fail(mw, 'code must be 2–64 of A–Z, 0–9, _ . or -');
    if (!isText(x.text, 2000) || !hasCJK(x.text)) fail(mw, 'text must be Chinese text (≤ 2000)');
    if (!MEASURE_KINDS.includes(x.kind)) fail(mw, `kind "${x.kind}" invalid`);
    if (!deptCodes.has(x.dept)) fail(mw, `dept ${x.dept} is not in departments.json`);
    if (m.signatories && !m.signatories.includes(x.dept))
      fail(mw, `dept ${x.dept} is not among the signatories`);
    if (!isText(x.legalBasis)) fail(mw, 'legalBasis required');
    if (!Array.isArray(x.legalBases) || x.legalBases.length === 0)
      fail(mw, 'legalBases must be a non-empty array (decision 0031)');
    else {
      for (const b of x.legalBases) {
        checkKeys(`${mw} legalBases`, b, ['level', 'title', 'article', 'basicListItem']);
        if (!LEGAL_LEVELS.includes(b.level)) fail(mw, `legal basis level "${b.level}" invalid`);
        if (!isText(b.title, 500)) fail(mw, 'each legal basis needs a title');
      }
      if (
        x.kind === 'punishment' &&
        x.mode === 'block' &&
        !x.legalBases.some((b) => LAW_LEVELS.includes(b.level))
      )
        fail(
          mw,
          'a punishment that blocks needs a law, regulation, judicial interpretation or central document',
        );
    }
    checkSet(mw, 'subjectKinds', x.subjectKinds, SUBJECT_KINDS);
    for (const k of x.subjectKinds ?? [])
      if (!kindsOfLists.has(k))
        fail(mw, `subject kind ${k} is not allowed by its list types (${[...kindsOfLists].join(', ')})`);
    if (x.relatedRoles !== undefined) {
      checkSet(mw, 'relatedRoles', x.relatedRoles, RELATED_ROLES);
      for (const k of x.subjectKinds ?? [])
        if (!ENTITY_KINDS.includes(k))
          fail(
            mw,
            `a measure reaching related persons cannot name subject kind ${k} (it has no legal representative or principal)`,
          );
    }
    if (!Array.isArray(x.actions) || x.actions.length === 0) fail(mw, 'actions must be a non-empty array');
    else {
      if (new Set(x.actions).size !== x.actions.length) fail(mw, 'actions has duplicates');
      for (const a of x.actions) {
        if (!ACTION.test(a)) fail(mw, `action "${a}" must be 2–64 of a–z, 0–9 or _`);
        if (!actionModes.has(a)) actionModes.set(a, new Set());
        actionModes.get(a).add(x.kind);
      }
    }
    if (!MODES.includes(x.mode)) fail(mw, `mode "${x.mode}" invalid`);
    if (x.kind === 'punishment' && x.mode === 'priority') fail(mw, 'a punishment cannot be in priority mode');
    if (x.kind === 'incentive' && (x.mode === 'block' || x.mode === 'warn'))
      fail(mw, `an incentive cannot be in ${x.mode} mode`);
    if (x.kind === 'punishment' && !colours.has('black'))
      fail(mw, 'a punishment on a memorandum without a black list');
    if (x.kind === 'incentive' && !colours.has('red'))
      fail(mw, 'an incentive on a memorandum without a red list');
    if (!isInt(x.feedbackWorkingDays, 3, 10)) fail(mw, 'feedbackWorkingDays must be an integer 3–10');
  }
}

// ── counts ──────────────────────────────────────────────────────────────────
const implementing = new Set(allMeasures.map((x) => x.dept));
const count = (pred) => allMeasures.filter(pred).length;
const modesUsed = new Set(allMeasures.map((x) => x.mode));
if (memoranda.length < 5) fail('counts', `needs ≥ 5 memoranda, has ${memoranda.length}`);
if (allMeasures.length < 50) fail('counts', `needs ≥ 50 measures, has ${allMeasures.length}`);
if (implementing.size < 12) fail('counts', `needs ≥ 12 implementing departments, has ${implementing.size}`);
for (const mode of MODES) if (!modesUsed.has(mode)) fail('counts', `mode ${mode} is never used`);
if (!count((x) => x.kind === 'punishment') || !count((x) => x.kind === 'incentive'))
  fail('counts', 'needs both punishments and incentives');
if (count((x) => x.relatedRoles?.length) < 3) fail('counts', 'needs several measures with relatedRoles');

if (errors.length) {
  console.error(`FAILED: ${errors.length} problem(s)`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}

console.log('OK');
console.log(`departments: ${departments.length}`);
console.log(
  `list types: ${listTypes.length} (red ${listTypes.filter((t) => t.colour === 'red').length}, black ${listTypes.filter((t) => t.colour === 'black').length})`,
);
console.log(`memoranda: ${memoranda.length}`);
console.log(
  `measures: ${allMeasures.length} (punishment ${count((x) => x.kind === 'punishment')}, incentive ${count((x) => x.kind === 'incentive')}; related-person ${count((x) => x.relatedRoles?.length)})`,
);
console.log(`modes: ${MODES.map((mo) => `${mo} ${count((x) => x.mode === mo)}`).join(', ')}`);
console.log(`implementing departments: ${implementing.size} (${[...implementing].sort().join(', ')})`);
console.log(`distinct actions: ${actionModes.size}`);
for (const m of memoranda) {
  const depts = [...new Set(m.measures.map((x) => x.dept))];
  console.log(`  ${m.code}: ${m.measures.length} measures, ${depts.length} departments (${m.documentNo})`);
}
