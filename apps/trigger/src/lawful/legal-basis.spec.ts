import { classifyInstrument, legalBasisText, legalityFindings, parseLegalBasis } from './legal-basis';
import { ineligibility } from './eligibility';

describe('legal-basis levels (rule: each instrument has its level)', () => {
  it.each([
    ['《中华人民共和国政府采购法》', 'law'],
    ['《中华人民共和国安全生产法》（2021年修正）', 'law'],
    ['《企业债券管理条例》', 'administrative_regulation'],
    ['《中华人民共和国政府采购法实施条例》', 'administrative_regulation'],
    ['《浙江省公共信用信息管理条例》', 'local_regulation'],
    ['《最高人民法院关于公布失信被执行人名单信息的若干规定》', 'judicial_interpretation'],
    [
      '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
      'central_document',
    ],
    ['《纳税信用管理办法（试行）》', 'department_rule'],
    ['《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）', 'department_rule'],
    ['《中华人民共和国海关注册登记和备案企业信用管理办法》', 'department_rule'],
    ['《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）', 'memorandum'],
    ['发改财金〔2016〕141号', 'memorandum'],
  ])('%s is a %s', (title, level) => {
    expect(classifyInstrument(title)).toBe(level);
  });

  it('reads a basis written as text into instruments, and writes them back', () => {
    const text =
      '《中华人民共和国政府采购法》第二十二条；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）';
    const bases = parseLegalBasis(text);
    expect(bases).toEqual([
      { level: 'law', title: '《中华人民共和国政府采购法》', article: '第二十二条' },
      {
        level: 'memorandum',
        title: '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
      },
    ]);
    expect(legalBasisText(bases)).toBe(text);
    expect(parseLegalBasis('政府采购法第二十二条')).toEqual([
      { level: 'law', title: '政府采购法', article: '第二十二条' },
    ]);
  });
});

describe('lawful measures (rules: block needs a law; kind, colour and mode agree)', () => {
  const memo = { level: 'memorandum' as const, title: '《合作备忘录》' };
  const law = { level: 'law' as const, title: '《中华人民共和国政府采购法》', article: '第二十二条' };
  const rule = { level: 'department_rule' as const, title: '《纳税信用管理办法（试行）》' };
  const codes = (m: Parameters<typeof legalityFindings>[0]) => legalityFindings(m).map((f) => f.code);

  it('refuses a blocking punishment on a memorandum only, or on a department rule alone', () => {
    expect(codes({ kind: 'punishment', mode: 'block', legalBases: [memo], colours: ['black'] })).toEqual([
      'MEASURE.BLOCK_NEEDS_LAW',
    ]);
    expect(codes({ kind: 'punishment', mode: 'block', legalBases: [rule, memo], colours: [] })).toEqual([
      'MEASURE.BLOCK_NEEDS_LAW',
    ]);
    expect(codes({ kind: 'punishment', mode: 'block', legalBases: [law, memo], colours: ['black'] })).toEqual(
      [],
    );
  });

  it('reports, without refusing, a warning or reference on a memorandum only', () => {
    const findings = legalityFindings({ kind: 'punishment', mode: 'warn', legalBases: [memo], colours: [] });
    expect(findings).toEqual([
      expect.objectContaining({ code: 'MEASURE.MEMORANDUM_ONLY', severity: 'warning' }),
    ]);
  });

  it('refuses incentives on black lists and punishments on red ones', () => {
    expect(codes({ kind: 'incentive', mode: 'priority', legalBases: [memo], colours: ['black'] })).toEqual([
      'MEASURE.KIND_NOT_FOR_COLOUR',
    ]);
    expect(codes({ kind: 'punishment', mode: 'warn', legalBases: [law], colours: ['red'] })).toEqual([
      'MEASURE.KIND_NOT_FOR_COLOUR',
    ]);
  });

  it('refuses a mode that does not fit the kind', () => {
    expect(codes({ kind: 'incentive', mode: 'block', legalBases: [law], colours: ['red'] })).toEqual([
      'MEASURE.MODE_NOT_FOR_KIND',
    ]);
    expect(codes({ kind: 'punishment', mode: 'priority', legalBases: [law], colours: ['black'] })).toEqual([
      'MEASURE.MODE_NOT_FOR_KIND',
    ]);
  });
});

describe('conditions on entries (rule: 过惩相当 — not every measure hits every entry)', () => {
  const measure = { kind: 'punishment' as const, minSeverity: null, conditions: null, inEffect: true };
  const entry = {
    listColour: 'black' as const,
    severity: 'general' as const,
    decisionAmount: null,
    violationKind: null,
    excluded: false,
  };

  it('issues a measure without conditions to any entry of its list', () => {
    expect(ineligibility(measure, entry)).toBeUndefined();
  });

  it('holds back what the entry is not severe enough for, or does not show', () => {
    expect(ineligibility({ ...measure, minSeverity: 'serious' }, entry)).toBe('below_min_severity');
    expect(ineligibility({ ...measure, minSeverity: 'general' }, entry)).toBeUndefined();
    const amount = { ...measure, conditions: { minAmount: 100_000 } };
    expect(ineligibility(amount, entry)).toBe('amount_below_minimum');
    expect(ineligibility(amount, { ...entry, decisionAmount: 99_999 })).toBe('amount_below_minimum');
    expect(ineligibility(amount, { ...entry, decisionAmount: 100_000 })).toBeUndefined();
    const kinds = { ...measure, conditions: { violationKinds: ['tax_invoice_fraud'] } };
    expect(ineligibility(kinds, { ...entry, violationKind: 'late_filing' })).toBe('violation_kind_not_named');
    expect(ineligibility(kinds, { ...entry, violationKind: 'tax_invoice_fraud' })).toBeUndefined();
  });

  it('holds back outside the memorandum window, on the other colour, and when excluded', () => {
    expect(ineligibility({ ...measure, inEffect: false }, entry)).toBe('memorandum_not_in_effect');
    expect(ineligibility(measure, { ...entry, listColour: 'red' })).toBe('kind_not_for_colour');
    expect(ineligibility(measure, { ...entry, excluded: true })).toBe('excluded_by_owner');
  });
});
