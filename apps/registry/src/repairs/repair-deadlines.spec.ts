import { loadBundledCalendar } from '@credit/calendar';
import { isOverdue, RepairDeadlines } from './repair-deadlines';

/** Beijing time */
const at = (iso: string) => new Date(`${iso}+08:00`);

describe('repair deadlines on the working-day calendar', () => {
  const deadlines = new RepairDeadlines(loadBundledCalendar());

  it('accepts within 2 working days, across the National Day holiday', () => {
    // Wed 30 Sep 2026; 1–7 Oct are holidays; Thu 8 and Fri 9 Oct are the two working days
    expect(deadlines.acceptBy(at('2026-09-30T10:00:00'), 2)).toEqual(at('2026-10-09T10:00:00'));
  });

  it('decides within 5 working days of acceptance, counting an adjusted working Saturday', () => {
    // Sat 10 Oct 2026 is a working day (国庆节调休): 10, 12, 13, 14, 15 Oct
    expect(deadlines.decideBy(at('2026-10-09T16:00:00'), 5)).toEqual(at('2026-10-15T16:00:00'));
  });

  it('keeps the days not yet begun while paused for material, and resumes from the supply', () => {
    const submitted = at('2026-11-02T09:00:00'); // Monday
    const due = deadlines.acceptBy(submitted, 2); // Wednesday
    expect(due).toEqual(at('2026-11-04T09:00:00'));
    const left = deadlines.pause(at('2026-11-03T11:00:00'), due); // asked on Tuesday: one day left
    expect(left).toBe(1);
    expect(deadlines.resume(at('2026-11-06T15:00:00'), left)).toEqual(at('2026-11-09T15:00:00')); // Fri → Mon
    // asked on the last day: still one working day after the supply
    expect(deadlines.pause(at('2026-11-04T08:00:00'), due)).toBe(1);
    // asked at once: both days kept
    expect(deadlines.pause(at('2026-11-02T09:30:00'), due)).toBe(2);
  });

  it('is overdue while waiting past the current deadline only', () => {
    const now = at('2026-11-05T00:00:00');
    const past = at('2026-11-04T09:00:00');
    expect(isOverdue({ status: 'submitted', acceptDeadline: past, decideDeadline: null }, now)).toBe(true);
    expect(isOverdue({ status: 'accepted', acceptDeadline: past, decideDeadline: now }, now)).toBe(false);
    expect(isOverdue({ status: 'material_requested', acceptDeadline: null, decideDeadline: null }, now)).toBe(
      false,
    );
    expect(isOverdue({ status: 'approved', acceptDeadline: past, decideDeadline: past }, now)).toBe(false);
  });
});
