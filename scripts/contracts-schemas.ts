/**
 * npm run contracts:schemas (or contracts:asyncapi, the same) — writes the event payload schemas as JSON
 * Schema documents to docs/events/ (one per event type, and index.json) and the AsyncAPI 3 document of the
 * topics (asyncapi.json), from libs/contracts. `--check` compares instead of writing
 * (exit 1 when out of date); the contracts' unit tests check the same.
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SCHEMA_DIR, eventSchemaDocuments } from '@credit/contracts';

const dir = join(__dirname, '..', EVENT_SCHEMA_DIR);
const check = process.argv.includes('--check');
const files = eventSchemaDocuments();
mkdirSync(dir, { recursive: true });
const stale: string[] = [];
for (const [name, text] of Object.entries(files)) {
  let current: string | undefined;
  try {
    current = readFileSync(join(dir, name), 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  stale.push(name);
  if (!check) writeFileSync(join(dir, name), text);
}
// a schema whose event type is gone
for (const name of readdirSync(dir).filter((n) => !(n in files))) {
  stale.push(name);
  if (!check) unlinkSync(join(dir, name));
}
if (check && stale.length > 0)
  console.error(`${EVENT_SCHEMA_DIR} is out of date (${stale.join(', ')}): run npm run contracts:schemas`);
console.log(
  `${Object.keys(files).length - 2} event schemas and asyncapi.json${stale.length === 0 ? ': up to date' : check ? ': stale' : ': written'}`,
);
process.exit(check && stale.length > 0 ? 1 : 0);
