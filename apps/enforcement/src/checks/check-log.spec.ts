import { EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent } from '@credit/messaging';
import {
  CHECK_HITS_RECIPE,
  CheckRecord,
  checkHitsRecipe,
  checkLogCopyText,
  rebuildCheckHits,
} from './check-log';

const record = (over: Partial<CheckRecord> = {}): CheckRecord => ({
  id: '7f1c1d8e-8a3c-4d55-9a55-3b1f2f0e9c01',
  dept: 'MARKET_REGULATION',
  actor: 'clerk-1',
  subjectId: '91330106MA2B00000X',
  action: 'bid',
  stage: 'approval',
  decision: 'allow',
  reasons: [],
  binding: [],
  at: new Date('2026-11-23T08:00:00.000Z'),
  ...over,
});

describe('checkLogCopyText (the check log rows in COPY text format)', () => {
  it('writes one line per check, columns in the COPY order, an empty reason list as []', () => {
    expect(checkLogCopyText([record(), record({ stage: undefined, decision: 'block' })])).toBe(
      '7f1c1d8e-8a3c-4d55-9a55-3b1f2f0e9c01\tMARKET_REGULATION\tclerk-1\t91330106MA2B00000X\tbid\tapproval\tallow\t[]\t2026-11-23T08:00:00.000Z\n' +
        '7f1c1d8e-8a3c-4d55-9a55-3b1f2f0e9c01\tMARKET_REGULATION\tclerk-1\t91330106MA2B00000X\tbid\t\\N\tblock\t[]\t2026-11-23T08:00:00.000Z\n',
    );
  });

  it('escapes backslashes, tabs and line breaks in any text, reasons included, so no value can break a row', () => {
    const reasons = [{ measure: 'line one\nline "two"\ttabbed \\ end' }];
    const [line] = checkLogCopyText([record({ actor: 'a\tb\\c\r', reasons })]).split('\n');
    const columns = line.split('\t');
    expect(columns).toHaveLength(9);
    expect(columns[2]).toBe('a\\tb\\\\c\\r');
    // COPY undoes the escapes: what it stores is the JSON text of the reasons
    const unescaped = columns[7].replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    expect(JSON.parse(unescaped)).toEqual(reasons);
  });
});

describe('checkHitsRecipe (the hit events of a flush as one outbox row)', () => {
  const hit = (key: string, subjectId: string) => ({
    topic: Topics.feedback,
    key,
    event: createCloudEvent({
      type: EventTypes.checkHit,
      source: '/enforcement',
      data: { subjectId, note: 'a "quoted" \\ and a \u0000' },
    }),
  });

  it('sends each hit as its own record, keyed by its subject, in order', () => {
    const hits = [hit('A', 'A'), hit('B', 'B'), hit('A', 'A')];
    const recipe = checkHitsRecipe(hits);
    expect(recipe).toMatchObject({
      kind: CHECK_HITS_RECIPE,
      topic: Topics.feedback,
      eventType: EventTypes.checkHit,
    });
    expect(recipe.records.map((r) => r.key)).toEqual(['A', 'B', 'A']);
    expect(recipe.records.map((r) => JSON.parse(r.value as string))).toEqual(hits.map((h) => h.event));
  });

  it('is rebuilt from its stored data byte for byte (the relay after a restart)', async () => {
    const recipe = checkHitsRecipe([hit('A', 'A'), hit('B', 'B')]);
    const stored = JSON.parse(JSON.stringify(recipe.data)) as unknown;
    expect(await rebuildCheckHits(undefined, [stored, stored])).toEqual([recipe.records, recipe.records]);
  });
});
