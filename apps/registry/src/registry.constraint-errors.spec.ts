import * as fs from 'node:fs';
import * as path from 'node:path';
import { REGISTRY_CONSTRAINT_ERRORS } from './registry.constraint-errors';

/**
 * The constraints the migrations leave behind: their `up` SQL in timestamp order, each `CONSTRAINT name`
 * adding one and each `DROP CONSTRAINT [IF EXISTS] name` taking it away.
 */
function declaredConstraints(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const up = fs.readFileSync(path.join(dir, file), 'utf8').split(/\bdown\s*\(/)[0];
    for (const m of up.matchAll(/\b(DROP\s+)?CONSTRAINT\s+(?:IF\s+EXISTS\s+)?"?([a-z_][a-z0-9_]*)"?/gi)) {
      if (m[1]) names.delete(m[2]);
      else names.add(m[2]);
    }
  }
  return names;
}

describe('the registry constraint table', () => {
  it('maps only constraints a migration declares', () => {
    const declared = declaredConstraints(path.join(__dirname, 'migrations'));
    const missing = Object.keys(REGISTRY_CONSTRAINT_ERRORS).filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
  });

  it('maps each to a catalogue entry answering 409 or 422', () => {
    for (const error of Object.values(REGISTRY_CONSTRAINT_ERRORS)) expect([409, 422]).toContain(error.status);
  });
});
