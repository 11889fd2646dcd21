/**
 * The demo catalogue judged by the rules of lawful measures (decision 0031), as docs/demo-catalogue-legality.md
 * reports it. `--write` also migrates deploy/demo/memoranda.json: each measure gets its instruments
 * (`legalBases`, read from its `legalBasis` text where it has none), and a punishment that blocks on a
 * memorandum only becomes a warning. Run: npx tsx scripts/demo-legality.ts [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnforcementMode, MeasureKind } from '@credit/contracts';
import {
  COLOUR_FOR_KIND,
  LegalInstrument,
  legalityFindings,
  parseLegalBasis,
} from '../apps/trigger/src/lawful/legal-basis';

interface Measure {
  code: string;
  dept: string;
  kind: MeasureKind;
  mode: EnforcementMode;
  legalBasis: string;
  legalBases?: LegalInstrument[];
  [key: string]: unknown;
}

const file = join(__dirname, '..', 'deploy', 'demo', 'memoranda.json');
const memoranda = JSON.parse(readFileSync(file, 'utf8')) as {
  code: string;
  documentNo: string;
  measures: Measure[];
}[];

const downgraded: string[] = [];
const memorandumOnly: string[] = [];
let total = 0;
for (const memo of memoranda) {
  for (const m of memo.measures) {
    total += 1;
    m.legalBases ??= parseLegalBasis(m.legalBasis);
    const judge = () =>
      legalityFindings({
        kind: m.kind,
        mode: m.mode,
        legalBases: m.legalBases!,
        colours: [COLOUR_FOR_KIND[memo.measures[0].kind]],
      });
    const levels = [...new Set(m.legalBases.map((b) => b.level))].join(', ');
    if (judge().some((f) => f.code === 'MEASURE.BLOCK_NEEDS_LAW')) {
      m.mode = 'warn';
      downgraded.push(`| \`${m.code}\` | ${memo.code} | ${m.dept} | ${levels} | block → warn |`);
    }
    if (judge().some((f) => f.code === 'MEASURE.MEMORANDUM_ONLY'))
      memorandumOnly.push(`| \`${m.code}\` | ${memo.code} | ${m.dept} | ${m.mode} |`);
    const errors = judge().filter((f) => f.severity === 'error');
    if (errors.length) throw new Error(`${m.code}: ${errors.map((e) => e.message).join('; ')}`);
  }
}

if (process.argv.includes('--write')) writeFileSync(file, `${JSON.stringify(memoranda, null, 2)}\n`);
console.log(`measures: ${total}`);
console.log(`blocking on less than a law, made warnings: ${downgraded.length}`);
console.log(downgraded.join('\n'));
console.log(`punishments resting on a memorandum only: ${memorandumOnly.length}`);
console.log(memorandumOnly.join('\n'));
