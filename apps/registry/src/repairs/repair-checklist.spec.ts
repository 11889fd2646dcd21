import { DomainError } from '@credit/platform';
import { answerChecklist } from './repair-checklist';

const checklist = [
  { code: 'obligations_performed', text: '已履行义务' },
  { code: 'fine_paid', text: '已缴纳罚款' },
  { code: 'training_completed', text: '已参加培训' },
];

describe('the repair checklist', () => {
  it('takes every condition met with evidence, in the checklist order and wording', () => {
    const answers = answerChecklist(checklist, [
      { code: 'training_completed', met: true, evidence: '培训证书 2026-001' },
      { code: 'obligations_performed', met: true, evidence: ' 结案通知书 ' },
      { code: 'fine_paid', met: true, evidence: '缴款凭证' },
    ]);
    expect(answers).toEqual([
      { code: 'obligations_performed', text: '已履行义务', met: true, evidence: '结案通知书' },
      { code: 'fine_paid', text: '已缴纳罚款', met: true, evidence: '缴款凭证' },
      { code: 'training_completed', text: '已参加培训', met: true, evidence: '培训证书 2026-001' },
    ]);
  });

  it('names each missing, unmet, unproven and unknown condition in one 422', () => {
    let error: DomainError | undefined;
    try {
      answerChecklist(checklist, [
        { code: 'fine_paid', met: false, evidence: 'x' },
        { code: 'training_completed', met: true, evidence: '  ' },
        { code: 'charity', met: true, evidence: 'x' },
      ]);
    } catch (err) {
      error = err as DomainError;
    }
    expect(error).toMatchObject({ code: 'REPAIR.CONDITIONS_NOT_MET', status: 422 });
    expect((error!.extra!.errors as { field: string; code: string }[]).map((e) => [e.field, e.code])).toEqual(
      [
        ['conditions.obligations_performed', 'REPAIR.CONDITION_MISSING'],
        ['conditions.fine_paid', 'REPAIR.CONDITION_NOT_MET'],
        ['conditions.training_completed.evidence', 'REPAIR.EVIDENCE_MISSING'],
        ['conditions.charity', 'REPAIR.CONDITION_UNKNOWN'],
      ],
    );
  });
});
