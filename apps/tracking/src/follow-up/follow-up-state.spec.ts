import { loadBundledCalendar } from '@credit/calendar';
import {
  applyMark,
  derive,
  deriveStatus,
  dueMarks,
  emptyFacts,
  FollowUpFacts,
  resume,
  suspend,
} from './follow-up-state';

const at = (iso: string) => new Date(iso);

function issued(extra: Partial<FollowUpFacts> = {}): FollowUpFacts {
  return {
    ...emptyFacts('a', 'e', 'FINANCE'),
    issued: true,
    issuedAt: at('2026-09-29T10:00:00Z'),
    ackDeadline: at('2026-10-08T10:00:00Z'),
    ackEscalationAt: at('2026-10-12T10:00:00Z'),
    feedbackDeadline: at('2026-10-14T10:00:00Z'),
    feedbackEscalationAt: at('2026-10-19T10:00:00Z'),
    ...extra,
  };
}

describe('follow-up rules', () => {
  it('derives the status from the facts, whatever order they arrived in', () => {
    expect(deriveStatus(issued())).toBe('issued');
    expect(deriveStatus(issued({ acknowledgedAt: at('2026-10-01T00:00:00Z') }))).toBe('acknowledged');
    expect(deriveStatus(issued({ enforcedAt: at('2026-10-02T00:00:00Z') }))).toBe('enforced');
    expect(deriveStatus(issued({ enforcedAt: at('2026-10-02T00:00:00Z'), suspended: true }))).toBe(
      'suspended',
    );
    expect(deriveStatus(issued({ liftedAt: at('2026-10-03T00:00:00Z'), suspended: true }))).toBe('lifted');
    expect(
      deriveStatus(
        issued({ liftedAt: at('2026-10-03T00:00:00Z'), liftConfirmedAt: at('2026-10-04T00:00:00Z') }),
      ),
    ).toBe('lift_confirmed');
    expect(deriveStatus(issued({ notApplicableAt: at('2026-10-02T00:00:00Z') }))).toBe('not_applicable');
  });

  it('marks nothing before a deadline, level 1 after it, level 2 after the escalation', () => {
    expect(dueMarks(issued(), at('2026-10-08T09:00:00Z'))).toEqual([]);
    expect(dueMarks(issued(), at('2026-10-09T00:00:00Z')).map((m) => [m.kind, m.level])).toEqual([
      ['acknowledgement', 1],
    ]);
    expect(dueMarks(issued(), at('2026-10-13T00:00:00Z')).map((m) => [m.kind, m.level])).toEqual([
      ['acknowledgement', 1],
      ['acknowledgement', 2],
    ]);
    const acknowledged = issued({ acknowledgedAt: at('2026-10-01T00:00:00Z') });
    expect(dueMarks(acknowledged, at('2026-10-15T00:00:00Z')).map((m) => [m.kind, m.level])).toEqual([
      ['feedback', 1],
    ]);
  });

  it('never marks an assignment that is not followed: not yet issued, suspended, lifted or not applicable', () => {
    const late = at('2026-12-01T00:00:00Z');
    expect(dueMarks({ ...issued(), issued: false }, late)).toEqual([]);
    expect(dueMarks(issued({ suspended: true }), late)).toEqual([]);
    expect(dueMarks(issued({ liftedAt: at('2026-10-05T00:00:00Z') }), late)).toEqual([]);
    expect(
      dueMarks(
        issued({ acknowledgedAt: at('2026-10-01T00:00:00Z'), notApplicableAt: at('2026-10-02T00:00:00Z') }),
        late,
      ),
    ).toEqual([]);
  });

  it('applies a mark once (idempotent) and keeps the first time it was made', () => {
    const mark = {
      kind: 'acknowledgement' as const,
      level: 1 as const,
      deadline: at('2026-10-08T10:00:00Z'),
      at: at('2026-10-09T00:00:00Z'),
    };
    const once = applyMark(issued(), mark);
    const twice = applyMark(once, { ...mark, at: at('2026-10-10T00:00:00Z') });
    expect(twice).toEqual(once);
    expect(once.ackOverdueLevel).toBe(1);
    expect(dueMarks(once, at('2026-10-09T01:00:00Z'))).toEqual([]);
  });

  it('is overdue while a missed deadline is open, and clears when the department catches up', () => {
    const marked = applyMark(issued(), {
      kind: 'acknowledgement',
      level: 1,
      deadline: at('2026-10-08T10:00:00Z'),
      at: at('2026-10-09T00:00:00Z'),
    });
    expect(derive(marked)).toMatchObject({
      overdue: true,
      overdueKind: 'acknowledgement',
      overdueLevel: 1,
      clearedAt: null,
    });
    const caughtUp = { ...marked, acknowledgedAt: at('2026-10-13T00:00:00Z') };
    expect(derive(caughtUp)).toMatchObject({ overdue: false, clearedAt: at('2026-10-13T00:00:00Z') });
    const lifted = { ...marked, liftedAt: at('2026-10-11T00:00:00Z') };
    expect(derive(lifted)).toMatchObject({
      overdue: false,
      status: 'lifted',
      clearedAt: at('2026-10-11T00:00:00Z'),
    });
  });

  it('stops the clock while suspended and moves every deadline back by the working days on resumption', () => {
    const calendar = loadBundledCalendar();
    const shift = (d: Date, n: number) => calendar.addWorkingDays(d, n);
    const paused = suspend(issued(), at('2026-10-07T10:00:00Z'));
    expect(suspend(paused, at('2026-10-08T10:00:00Z'))).toBe(paused); // already suspended
    expect(dueMarks(paused, at('2026-10-20T00:00:00Z'))).toEqual([]);
    // suspended over 10-08 and 10-09 (two working days)
    const resumed = resume(
      paused,
      calendar.workingDaysBetween(paused.suspendedAt!, at('2026-10-09T12:00:00Z')),
      shift,
    );
    expect(resumed).toMatchObject({ suspended: false, suspendedAt: null, suspendedWorkingDays: 2 });
    expect(resumed.ackDeadline).toEqual(calendar.addWorkingDays(at('2026-10-08T10:00:00Z'), 2));
    expect(resumed.feedbackEscalationAt).toEqual(calendar.addWorkingDays(at('2026-10-19T10:00:00Z'), 2));
    expect(dueMarks(resumed, at('2026-10-09T13:00:00Z'))).toEqual([]);
    expect(resume(issued(), 3, shift)).toEqual(issued()); // not suspended: nothing to resume
  });
});
