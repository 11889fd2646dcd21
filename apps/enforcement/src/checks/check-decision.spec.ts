import { ActiveMeasure, decide } from './check-decision';

const now = new Date('2026-11-23T12:00:00Z');
const measure = (mode: ActiveMeasure['mode'], extra: Partial<ActiveMeasure> = {}): ActiveMeasure => ({
  assignmentId: `a-${mode}`,
  entryId: 'e',
  subjectId: 's',
  dept: 'FINANCE',
  listType: 'L',
  listColour: 'black',
  measureCode: `M-${mode}`,
  measureText: 't',
  mode,
  actions: ['bid'],
  legalBasis: 'b',
  from: new Date('2026-01-01T00:00:00Z'),
  until: new Date('2027-01-01T00:00:00Z'),
  targetRole: null,
  ...extra,
});

describe('check decision', () => {
  it('allows when nothing binds', () => {
    expect(decide([], 'bid', now)).toEqual({ decision: 'allow', binding: [] });
  });

  it.each([
    [['block', 'warn', 'priority', 'reference'], 'block'],
    [['warn', 'priority', 'reference'], 'warn'],
    [['priority', 'reference'], 'priority'],
    [['reference'], 'allow'],
  ] as const)('%j → %s, with every measure as a reason, strongest first', (modes, expected) => {
    const result = decide(
      modes.map((m) => measure(m)),
      'bid',
      now,
    );
    expect(result.decision).toBe(expected);
    expect(result.binding.map((m) => m.mode)).toEqual([...modes]);
  });

  it('ignores measures for other actions and outside their period', () => {
    const result = decide(
      [
        measure('block', { actions: ['loan'] }),
        measure('block', { measureCode: 'OLD', until: new Date('2026-11-23T11:59:59Z') }),
        measure('block', { measureCode: 'LATER', from: new Date('2026-12-01T00:00:00Z') }),
        measure('warn'),
      ],
      'bid',
      now,
    );
    expect(result.decision).toBe('warn');
    expect(result.binding.map((m) => m.measureCode)).toEqual(['M-warn']);
  });
});

describe('check decision for one department (decision 0020)', () => {
  const police = measure('block', { dept: 'POLICE', measureCode: 'EXIT-BAN', actions: ['exit_entry'] });
  const finance = measure('warn', { dept: 'FINANCE', measureCode: 'FIN-WARN', actions: ['exit_entry'] });

  it("answers from the caller's own department's measures only", () => {
    expect(decide([police, finance], 'exit_entry', now, 'FINANCE')).toEqual({
      decision: 'warn',
      binding: [finance],
    });
    expect(decide([police], 'exit_entry', now, 'FINANCE')).toEqual({ decision: 'allow', binding: [] });
  });

  it('answers from every measure without a department (supervisor, admin)', () => {
    expect(decide([police, finance], 'exit_entry', now).binding).toEqual([police, finance]);
  });
});
