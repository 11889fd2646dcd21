import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { EventTypes } from './event-types';
import { EVENT_SCHEMA_DIR, eventSchemaDocuments } from './event-schema-documents';

const dir = join(__dirname, '..', '..', '..', EVENT_SCHEMA_DIR);

describe('docs/events: the published event schemas', () => {
  const files = eventSchemaDocuments();

  it('are up to date (else: npm run contracts:schemas)', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files))
      expect([name, readFileSync(join(dir, name), 'utf8')]).toEqual([name, text]);
  });

  it('cover every event type and compile in a validator of their own', () => {
    const ajv = new Ajv({ strict: true });
    const index = JSON.parse(files['index.json']) as { events: Record<string, string> };
    expect(Object.keys(index.events).sort()).toEqual(Object.values(EventTypes).sort());
    for (const file of Object.values(index.events)) {
      const validate = ajv.compile(JSON.parse(files[file]) as object);
      expect(validate({})).toBe(false);
    }
  });
});
