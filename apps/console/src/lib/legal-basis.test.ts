import {
  basisAdvice,
  instrumentLine,
  legalBasisProblems,
  toChangeMeasureBody,
  toLegalBases,
} from './legal-basis';

describe('the legal-basis form', () => {
  it('asks for at least one instrument', () => {
    expect(legalBasisProblems([])).toEqual([{ field: 'legalBases', message: '至少填写一项法律依据' }]);
    expect(legalBasisProblems(undefined)).toHaveLength(1);
  });

  it('names each field it refuses: level, title, article length, basic list item, duplicates', () => {
    const problems = legalBasisProblems([
      { level: 'law', title: '《中华人民共和国政府采购法》', article: '第二十二条', basicListItem: '1.5' },
      { level: 'statute', title: '  ' },
      { level: 'memorandum', title: '备忘录', article: '条'.repeat(201), basicListItem: '一点五' },
      { level: 'law', title: '《中华人民共和国政府采购法》 ', article: '第二十二条' },
    ]);
    expect(problems.map((p) => p.field)).toEqual([
      'legalBases[1].level',
      'legalBases[1].title',
      'legalBases[2].article',
      'legalBases[2].basicListItem',
      'legalBases[3].title',
    ]);
  });

  it('accepts a well-formed basis', () => {
    expect(
      legalBasisProblems([
        {
          level: 'judicial_interpretation',
          title: '《最高人民法院关于限制被执行人高消费的若干规定》',
          basicListItem: '2.3.1',
        },
        { level: 'memorandum', title: '《关于对失信被执行人实施联合惩戒的合作备忘录》' },
      ]),
    ).toEqual([]);
  });

  it('sends trimmed instruments without empty optional parts', () => {
    expect(
      toLegalBases([{ level: 'law', title: ' 《税收征收管理法》 ', article: ' ', basicListItem: '' }]),
    ).toEqual([{ level: 'law', title: '《税收征收管理法》' }]);
  });

  it('warns that a punishment without a law is memorandum-only, and that as a block the service refuses it', () => {
    const memo = [{ level: 'memorandum', title: '备忘录' }];
    const rule = [{ level: 'department_rule', title: '某办法' }];
    const law = [...memo, { level: 'law', title: '《政府采购法》' }];
    expect(basisAdvice('punishment', 'block', memo)).toBe('block-needs-law');
    expect(basisAdvice('punishment', 'block', rule)).toBe('block-needs-law');
    expect(basisAdvice('punishment', 'warn', memo)).toBe('memorandum-only');
    expect(basisAdvice('punishment', 'block', law)).toBeUndefined();
    expect(basisAdvice('incentive', 'priority', memo)).toBeUndefined();
  });

  it('writes an instrument as one line', () => {
    expect(
      instrumentLine({ level: 'law', title: '《政府采购法》', article: '第二十二条', basicListItem: '1.5' }),
    ).toBe('《政府采购法》第二十二条（法律；基础清单 1.5）');
  });

  it('builds the next version of a measure from the form', () => {
    expect(
      toChangeMeasureBody({
        text: ' 限制参加政府采购活动 ',
        kind: 'punishment',
        dept: 'FINANCE',
        mode: 'warn',
        subjectKinds: ['legal_person'],
        relatedRoles: [],
        actions: ['government_procurement_bid'],
        feedbackWorkingDays: 5,
        minAmount: null,
        violationKinds: [],
        legalBases: [{ level: 'memorandum', title: '备忘录' }],
      }),
    ).toEqual({
      text: '限制参加政府采购活动',
      kind: 'punishment',
      dept: 'FINANCE',
      mode: 'warn',
      subjectKinds: ['legal_person'],
      actions: ['government_procurement_bid'],
      feedbackWorkingDays: 5,
      legalBases: [{ level: 'memorandum', title: '备忘录' }],
    });
  });
});
