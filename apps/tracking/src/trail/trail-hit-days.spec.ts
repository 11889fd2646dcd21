import { CloudEvent } from '@credit/contracts';
import { firstOfEachKey, hitDayKey } from './trail-hit-days';

const ENTRY = '9DACF4BE-86E0-49F6-B14D-8DC15C1D6864';

const hit = (id: string, time: string, data: Record<string, unknown> = {}) => ({
  event: {
    id,
    time,
    type: 'credit.check.hit.v1',
    data: { entryId: ENTRY, dept: 'FINANCE', action: 'bid', decision: 'block', ...data },
  } as unknown as CloudEvent<Record<string, unknown>>,
});

describe('the first check hit of the day (decision 0082)', () => {
  it('keys a hit by its entry, its Beijing day, department, action and decision', () => {
    // 15:59 UTC is 23:59 in Beijing; 16:00 UTC is the next day there
    expect(hitDayKey(hit('a', '2026-12-04T15:59:59.999Z').event)).toEqual({
      entryId: ENTRY.toLowerCase(),
      day: '2026-12-04',
      dept: 'FINANCE',
      action: 'bid',
      decision: 'block',
    });
    expect(hitDayKey(hit('b', '2026-12-04T16:00:00.000Z').event).day).toBe('2026-12-05');
  });

  it("keeps a run's first hit of each key, in the run's order", () => {
    const run = [
      hit('1', '2026-12-05T01:00:00Z'),
      hit('2', '2026-12-05T02:00:00Z'),
      hit('3', '2026-12-05T02:00:00Z', { dept: 'NDRC' }),
      hit('4', '2026-12-05T03:00:00Z', { decision: 'warn' }),
      hit('5', '2026-12-05T17:00:00Z'), // the next Beijing day
      hit('6', '2026-12-05T18:00:00Z', { action: 'tax_invoice' }),
    ];
    expect(firstOfEachKey(run).map((f) => f.hit.event.id)).toEqual(['1', '3', '4', '5', '6']);
    expect(firstOfEachKey([])).toEqual([]);
  });
});
