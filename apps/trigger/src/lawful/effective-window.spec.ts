import { chinaDay, windowAction, windowStateAt } from './effective-window';

describe('effective windows of memoranda (rule: nothing issued outside them, lifted when they end)', () => {
  const window = { effectiveFrom: '2026-01-01', effectiveTo: '2026-06-30' };

  it('counts days in China time, both ends inclusive', () => {
    expect(chinaDay(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(windowStateAt(window, new Date('2025-12-31T15:59:59Z'))).toBe('pending');
    expect(windowStateAt(window, new Date('2025-12-31T16:00:00Z'))).toBe('active');
    expect(windowStateAt(window, new Date('2026-06-30T15:59:59Z'))).toBe('active');
    expect(windowStateAt(window, new Date('2026-06-30T16:00:00Z'))).toBe('expired');
  });

  it('is open-ended without dates', () => {
    expect(windowStateAt({ effectiveFrom: null, effectiveTo: null }, new Date(0))).toBe('active');
  });

  it('issues on entering the window and lifts on leaving it, and nothing otherwise', () => {
    expect(windowAction('pending', 'active')).toBe('issue');
    expect(windowAction('expired', 'active')).toBe('issue');
    expect(windowAction('active', 'expired')).toBe('lift');
    expect(windowAction('active', 'pending')).toBe('lift');
    expect(windowAction('pending', 'expired')).toBe('none');
    expect(windowAction('active', 'active')).toBe('none');
  });
});
