import { ValidationTypes } from 'class-validator';
import { quickValid, transformerMetadata, validationMetadatas } from './fast-validation';
import { EVENT_SCHEMAS, fullValidation, PayloadClass, validateEventData } from './schemas';
import { EventTypes } from './event-types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What validateEventData does without the quick path: the oracle. */
const slow = (cls: PayloadClass, data: object) => fullValidation(cls, data);

/** A valid payload of `cls`, made from its decorators (every optional property present). */
function sample(cls: PayloadClass): Record<string, Json> {
  const byProperty = new Map<
    string,
    { name?: string; type: string; constraints: unknown[]; each?: boolean }[]
  >();
  for (const m of validationMetadatas(cls)) {
    const list = byProperty.get(m.propertyName) ?? [];
    list.push(m);
    byProperty.set(m.propertyName, list);
  }
  const out: Record<string, Json> = {};
  for (const [property, metadatas] of byProperty) {
    const names = new Set(metadatas.map((m) => m.name));
    const of = (name: string) => metadatas.find((m) => m.name === name)?.constraints ?? [];
    const nested = metadatas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION)
      ? (transformerMetadata.findTypeMetadata(cls, property)!.typeFunction() as PayloadClass)
      : undefined;
    let value: Json;
    if (names.has('isUuid')) value = '3b241101-e2bb-4255-8caf-4136c566a962';
    else if (names.has('isIso8601')) value = '2026-03-01T08:00:00Z';
    else if (names.has('isIn')) value = (of('isIn')[0] as Json[])[0];
    else if (names.has('isInt')) value = Math.max(Number(of('min')[0] ?? 1), 1);
    else if (names.has('isNumber')) value = Math.max(Number(of('min')[0] ?? 1), 1) + 0.5;
    else if (names.has('isBoolean')) value = true;
    else if (nested) value = sample(nested);
    else if (names.has('isObject')) value = {};
    else value = 'x'.repeat(Math.max(Number(of('minLength')[0] ?? 1), 1));
    // an array: of one element satisfying the rest (given for each element)
    if (names.has('isArray')) value = [value];
    out[property] = value;
  }
  return out;
}

/** Every place in a document: a path of keys and indexes. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

/** A copy with the value at `path` replaced (undefined: removed). */
function withValue(doc: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json; // as a consumer gets it (and in Jest's realm)
  let at = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

/** Values to put anywhere: wrong types, edge values, and valid values of other places. */
function replacements(original: Json, pool: Json[]): (Json | undefined)[] {
  return [
    undefined,
    null,
    '',
    ' ',
    'x',
    '3b241101-e2bb-4255-8caf-4136c566a96',
    '2026-13-45T00:00:00Z',
    '2026-03-01',
    0,
    -1,
    1.5,
    2,
    1e21,
    true,
    false,
    [],
    [null],
    ['x'],
    [1],
    [[]],
    {},
    { extra: 1 },
    [original],
    original && typeof original === 'object' && !Array.isArray(original)
      ? { ...original, extra: 'kept' }
      : { value: original },
    JSON.parse('{"__proto__": {"x": 1}}') as Json,
    JSON.parse('{"constructor": "x"}') as Json,
    ...pool,
  ];
}

function leaves(value: Json): Json[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [value];
}

describe('quickValid (validateEventData’s quick yes)', () => {
  const schemas = Object.entries(EVENT_SCHEMAS) as [string, PayloadClass][];

  it.each(schemas)('says yes to a valid %s payload, as the slow path does', (_type, cls) => {
    const data = sample(cls);
    expect(slow(cls, data)).toEqual([]);
    expect(quickValid(cls, data)).toBe(true);
  });

  it.each(schemas)(
    'never says yes where the slow path finds a violation, nor no where it finds none: %s',
    (_type, cls) => {
      const base = sample(cls) as Json;
      const pool = [...new Set(leaves(base))].slice(0, 12);
      let undecided = 0;
      let checked = 0;
      let accepted = 0;
      const docs: Json[] = [];
      for (const path of paths(base))
        for (const value of replacements(
          path.reduce<Json>((d, k) => (d as never)[k], base),
          pool,
        ))
          docs.push(withValue(base, path, value));
      // and at the top: extra keys, and the documents above with a second change
      docs.push(
        { ...(base as object), extra: 1 },
        JSON.parse(`{"__proto__":{"a":1},${JSON.stringify(base).slice(1)}`),
      );
      let seed = 7;
      const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const singles = docs.length;
      for (let i = 0; i < 300; i += 1) {
        const doc = docs[random(singles)];
        const places = paths(doc);
        if (places.length === 0) continue;
        const path = places[random(places.length)];
        const options = replacements(
          path.reduce<Json>((d, k) => (d as never)[k], doc),
          pool,
        );
        docs.push(withValue(doc, path, options[random(options.length)]));
      }
      for (const doc of docs) {
        const quick = quickValid(cls, doc);
        const violations = slow(cls, doc as object);
        if (quick === undefined) undecided += 1;
        else {
          checked += 1;
          if (quick) accepted += 1;
          expect({ doc, valid: violations.length === 0 }).toEqual({ doc, valid: quick });
        }
      }
      // it decides nearly everything itself (the undecided: keys class-transformer treats specially)
      expect(checked).toBeGreaterThan(undecided * 5);
      // and both answers were put to the test
      expect(accepted).toBeGreaterThan(0);
      expect(checked - accepted).toBeGreaterThan(accepted);
    },
  );

  it('leaves what it does not follow to the slow path', () => {
    class Unknown {
      x?: string;
    }
    expect(quickValid(Unknown, { x: 'y' })).toBeUndefined();
    expect(quickValid(EVENT_SCHEMAS[EventTypes.listEntryPublished], 'text')).toBeUndefined();
    expect(quickValid(EVENT_SCHEMAS[EventTypes.listEntryPublished], new Date())).toBeUndefined();
  });

  it('gives validateEventData the same answers for valid and invalid data', () => {
    const cls = EVENT_SCHEMAS[EventTypes.listEntryPublished];
    const data = sample(cls as PayloadClass);
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([]);
    const bad = { ...data, entryId: 'nope' };
    expect(validateEventData(EventTypes.listEntryPublished, bad)).toEqual(slow(cls as PayloadClass, bad));
    expect(validateEventData(EventTypes.listEntryPublished, bad)).not.toEqual([]);
  });
});
