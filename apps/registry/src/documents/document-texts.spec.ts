import { docxText } from '../../../../test/support/docx-text';
import {
  listingDecisionText,
  repairDecisionText,
  repairNoticeText,
  statementAnswerText,
} from './document-texts';
import { chinaTime as at, entryFacts } from './document-texts.test-support';
import { renderDocx } from './docx-renderer';

const entry = entryFacts();

describe('documents served on the subject (两书同达)', () => {
  it('the listing decision names the decision, facts, basis, period and rights, as DOCX', async () => {
    const text = docxText(await renderDocx(listingDecisionText(entry, at('2026-11-03T09:00:01'))));
    expect(text).toContain('列入失信被执行人名单决定书');
    expect(text).toContain('(2026)浙0106执1234号');
    expect(text).toContain('杭州某某科技有限公司（统一社会信用代码/身份证号码：91330106MA2H7QK4XQ）');
    expect(text).toContain('公示期自2026年11月3日起至2028年11月2日止');
    expect(text).toContain('可以依法申请行政复议或者提起行政诉讼');
    expect(text).toContain('送达日期：2026年11月3日');
  });

  it('an open-ended listing writes no end date: until the obligation is performed (decision 0033)', async () => {
    const open = entryFacts({ periodTo: new Date('9999-12-31T23:59:59.999Z'), openEnded: true });
    const text = docxText(await renderDocx(listingDecisionText(open, at('2026-11-03T09:00:01'))));
    expect(text).toContain('公示期自2026年11月3日起至履行义务之日止');
    expect(text).toContain('履行义务后移出');
    expect(text).not.toContain('9999');
  });

  it('the repair notice says from when, under which conditions and how to apply', async () => {
    const notice = repairNoticeText(
      entry,
      {
        repairable: true,
        earliestRepairDate: at('2027-11-03T09:00:00'),
        minRepairDays: 365,
        conditions: [
          { code: 'obligations_performed', text: '已履行法定义务或判决、决定确定的义务' },
          { code: 'behaviour_corrected', text: '失信行为已纠正，消除不良影响' },
        ],
        commitmentRequired: true,
        acceptWorkingDays: 2,
        decideWorkingDays: 5,
      },
      at('2026-11-03T09:00:01'),
    );
    const text = docxText(await renderDocx(notice));
    expect(text).toContain('信用修复告知书');
    expect(text).toContain('自2027年11月3日起（公示满365日后），当事人可以申请信用修复。');
    expect(text).toContain('1. 已履行法定义务或判决、决定确定的义务');
    expect(text).toContain('2. 失信行为已纠正，消除不良影响');
    expect(text).toContain('签署的信用承诺书');
    expect(text).toContain('2个工作日内决定是否受理');
    expect(text).toContain('5个工作日内作出是否同意修复的决定');
    expect(text).toContain('国家发展改革委令第36号');
  });

  it('a decision gives the outcome and, for a rejection, the reason', async () => {
    const rejected = docxText(
      await renderDocx(
        repairDecisionText(
          entry,
          {
            applicationId: 'a1',
            submittedAt: at('2027-11-10T10:00:00'),
            acceptedAt: at('2027-11-11T10:00:00'),
            decidedAt: at('2027-11-15T10:00:00'),
            approved: false,
            reason: '尚欠执行款未履行',
          },
          at('2027-11-15T10:00:01'),
        ),
      ),
    );
    expect(rejected).toContain('决定不予信用修复。理由：尚欠执行款未履行');
    const approved = repairDecisionText(
      entry,
      {
        applicationId: 'a1',
        submittedAt: at('2027-11-10T10:00:00'),
        acceptedAt: null,
        decidedAt: at('2027-11-15T10:00:00'),
        approved: true,
        reason: null,
      },
      at('2027-11-15T10:00:01'),
    );
    expect(approved.sections[1].paragraphs[0]).toContain('自2027年11月15日起将当事人移出失信被执行人名单');
  });

  it('a statement answer gives the outcome and, for one not accepted, the reason and the remedies', async () => {
    const statement = {
      receiptNo: 'ST-20261103-ABCDEFGH',
      receivedAt: at('2026-11-03T10:00:00'),
      content: '款项已于判决前支付',
      accepted: false,
      remedy: null,
      reply: '转账凭证与本案无关',
      answeredAt: at('2026-11-05T10:00:00'),
    };
    const refused = docxText(
      await renderDocx(statementAnswerText(entry, statement, at('2026-11-05T10:00:01'))),
    );
    expect(refused).toContain('陈述申辩答复书');
    expect(refused).toContain('当事人于2026年11月3日就本机关拟将其列入失信被执行人名单');
    expect(refused).toContain('回执编号：ST-20261103-ABCDEFGH');
    expect(refused).toContain('款项已于判决前支付');
    expect(refused).toContain('不予采纳当事人的陈述申辩意见。理由：转账凭证与本案无关');
    expect(refused).toContain('可以依法申请行政复议或者提起行政诉讼');
    expect(refused).toContain('答复日期：2026年11月5日');
    const accepted = statementAnswerText(
      entry,
      { ...statement, accepted: true, remedy: 'revoked', reply: '凭证属实' },
      at('2026-11-05T10:00:01'),
    );
    expect(accepted.sections[2].paragraphs).toEqual([
      '经复核，本机关采纳当事人的陈述申辩意见。',
      '本机关撤销拟列入失信被执行人名单的决定，当事人不列入失信被执行人名单。',
      '说明：凭证属实',
    ]);
  });
});
