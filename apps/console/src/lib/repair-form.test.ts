import { repairBody, validateRepairForm } from './repair-form';

const CHECKLIST = [
  { code: 'obligations_performed', text: '已履行法定义务或判决、决定确定的义务' },
  { code: 'behaviour_corrected', text: '失信行为已纠正，消除不良影响' },
];

describe('validateRepairForm', () => {
  it('asks for the statement, the commitment and every condition, met and with evidence', () => {
    expect(validateRepairForm({}, CHECKLIST, true)).toEqual([
      { field: 'statement', message: '请填写修复申请说明' },
      { field: 'commitment', message: '该名单类型须提交信用承诺书' },
      {
        field: 'conditions.obligations_performed.met',
        message: '须满足修复条件：已履行法定义务或判决、决定确定的义务',
      },
      {
        field: 'conditions.behaviour_corrected.met',
        message: '须满足修复条件：失信行为已纠正，消除不良影响',
      },
    ]);
  });

  it('a met condition without evidence (blank counts as none)', () => {
    const problems = validateRepairForm(
      {
        statement: '已全部履行',
        commitment: '本单位承诺诚信经营',
        conditions: {
          obligations_performed: { met: true, evidence: '结案通知书' },
          behaviour_corrected: { met: true, evidence: '   ' },
        },
      },
      CHECKLIST,
      true,
    );
    expect(problems).toEqual([
      {
        field: 'conditions.behaviour_corrected.evidence',
        message: '请提供证明材料：失信行为已纠正，消除不良影响',
      },
    ]);
  });

  it('a complete form passes; the commitment is optional where the list type does not require it', () => {
    const values = {
      statement: ' 已全部履行 ',
      conditions: {
        obligations_performed: { met: true, evidence: '结案通知书' },
        behaviour_corrected: { met: true, evidence: '整改报告' },
      },
    };
    expect(validateRepairForm(values, CHECKLIST, false)).toEqual([]);
    expect(validateRepairForm(values, CHECKLIST, true).map((p) => p.field)).toEqual(['commitment']);
  });

  it('too long a statement', () => {
    const problems = validateRepairForm({ statement: '长'.repeat(5001), commitment: '承诺' }, [], true);
    expect(problems).toEqual([{ field: 'statement', message: '申请说明不超过 5000 字' }]);
  });
});

describe('repairBody', () => {
  it('answers the checklist in its order, trimmed, with whom the counter acts for', () => {
    expect(
      repairBody(
        {
          statement: ' 已全部履行 ',
          commitment: ' 本单位承诺诚信经营 ',
          conditions: {
            behaviour_corrected: { met: true, evidence: ' 整改报告 ' },
            obligations_performed: { met: true, evidence: '结案通知书' },
          },
        },
        CHECKLIST,
        '91330106MA2H7QK4XQ',
      ),
    ).toEqual({
      statement: '已全部履行',
      commitment: { text: '本单位承诺诚信经营' },
      conditions: [
        { code: 'obligations_performed', met: true, evidence: '结案通知书' },
        { code: 'behaviour_corrected', met: true, evidence: '整改报告' },
      ],
      onBehalfOf: '91330106MA2H7QK4XQ',
    });
  });
});
