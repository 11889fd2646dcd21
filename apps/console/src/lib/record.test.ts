import { ApiError } from '../api/client';
import { allNextSteps, nextStepsOf, RecordEntry, SubjectRecord, tooEarlyDay } from './record';

// 2026-03-10 10:00 Beijing
const NOW = new Date('2026-03-10T02:00:00Z');

function entry(over: Partial<RecordEntry> & Pick<RecordEntry, 'status' | 'next'>): RecordEntry {
  return {
    id: 'e1',
    relation: 'subject',
    listType: { code: 'COURT_DEFAULTER', name: '失信被执行人', colour: 'black' },
    ownerDept: 'COURT',
    subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某有限公司' },
    decision: { documentNo: '(2026)浙0106执1号', date: '2026-01-05' },
    period: null,
    objectionOpen: false,
    notice: null,
    statementDeadline: null,
    earliestRepairDate: null,
    repairConditions: [],
    endReason: null,
    endedAt: null,
    statements: [],
    objections: [],
    ...over,
  };
}

const closed = {
  statement: { allowed: false, until: null },
  objection: { allowed: false },
  repair: { allowed: false, from: null },
};

describe('nextStepsOf: what the subject may do next, from GET /v1/me/record', () => {
  it('a noticed entry: a statement until its deadline (Beijing time)', () => {
    const steps = nextStepsOf(
      entry({
        status: 'noticed',
        next: { ...closed, statement: { allowed: true, until: '2026-03-17T15:59:59Z' } },
      }),
      NOW,
    );
    expect(steps).toEqual([
      expect.objectContaining({
        kind: 'statement',
        allowed: true,
        date: '2026-03-17T15:59:59Z',
        detail: '可于 2026-03-17 23:59 前提出',
      }),
    ]);
  });

  it('a noticed entry past its statement period: said so, not offered', () => {
    const [step] = nextStepsOf(entry({ status: 'noticed', next: closed }), NOW);
    expect(step).toMatchObject({ kind: 'statement', allowed: false, detail: '陈述申辩期已届满' });
  });

  it('a published entry: an objection now, a repair from the earliest repair day', () => {
    const steps = nextStepsOf(
      entry({
        status: 'published',
        next: {
          ...closed,
          objection: { allowed: true },
          repair: { allowed: false, from: '2027-01-05T00:00:00Z' },
        },
      }),
      NOW,
    );
    expect(steps.map((s) => [s.kind, s.allowed, s.detail])).toEqual([
      ['objection', true, '认为信息有误的，可提出异议'],
      ['repair', false, '最早可于 2027-01-05 申请（未满最短公示期）'],
    ]);
  });

  it('a repair day passed but not allowed: an application is already open', () => {
    const [, repair] = nextStepsOf(
      entry({
        status: 'published',
        objectionOpen: true,
        next: { ...closed, repair: { allowed: false, from: '2026-01-05T00:00:00Z' } },
      }),
      NOW,
    );
    expect(repair).toMatchObject({ allowed: false, detail: '暂不可申请（已有修复申请在办）' });
  });

  it('a list type without repair, and an ended entry: nothing to do but read', () => {
    expect(
      nextStepsOf(entry({ status: 'published', next: { ...closed, objection: { allowed: true } } }), NOW)[1],
    ).toMatchObject({ kind: 'repair', allowed: false, detail: '该名单类型不适用信用修复' });
    expect(nextStepsOf(entry({ status: 'ended', next: closed }), NOW)).toEqual([]);
    expect(nextStepsOf(entry({ status: 'draft', next: closed }), NOW)).toEqual([]);
  });

  it('every entry: what is possible now first, then by date', () => {
    const record: SubjectRecord = {
      identifier: '91330106MA2H7QK4XQ',
      measures: [],
      entries: [
        entry({
          id: 'late',
          status: 'published',
          next: {
            ...closed,
            objection: { allowed: false },
            repair: { allowed: false, from: '2027-01-05T00:00:00Z' },
          },
        }),
        entry({
          id: 'now',
          status: 'noticed',
          next: { ...closed, statement: { allowed: true, until: '2026-03-17T15:59:59Z' } },
        }),
      ],
    };
    expect(allNextSteps(record, NOW).map((s) => `${s.entryId}:${s.kind}`)).toEqual([
      'now:statement',
      'late:repair',
      'late:objection',
    ]);
  });
});

describe('tooEarlyDay', () => {
  it("reads the earliest day from the problem's extension members", () => {
    const error = new ApiError({
      status: 422,
      code: 'REPAIR.TOO_EARLY',
      detail: 'a repair may be applied for from 2027-01-05',
      earliestRepairDay: '2027-01-05',
      earliestRepairDate: '2027-01-04T16:00:00.000Z',
    } as never);
    expect(tooEarlyDay(error)).toBe('2027-01-05');
  });

  it('falls back to the instant, in Beijing, and ignores other problems', () => {
    const onlyInstant = new ApiError({
      status: 422,
      code: 'REPAIR.TOO_EARLY',
      earliestRepairDate: '2027-01-04T16:00:00.000Z',
    } as never);
    expect(tooEarlyDay(onlyInstant)).toBe('2027-01-05');
    expect(tooEarlyDay(new ApiError({ status: 409, code: 'REPAIR.ALREADY_PENDING' }))).toBeUndefined();
    expect(tooEarlyDay(new Error('network'))).toBeUndefined();
  });
});
