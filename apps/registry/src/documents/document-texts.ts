import { chinaIsoDate } from '@credit/calendar';
import type { DocumentKind } from '@credit/contracts';

/** A document's text: a title, then sections of paragraphs (rendered to DOCX by docx-renderer.ts). */
export interface DocumentText {
  title: string;
  /** the issuing department, above the title */
  issuer: string;
  sections: { heading?: string; paragraphs: string[] }[];
  /** the closing line: issuer and date */
  signature: string[];
}

export const DOCUMENT_TITLES: Readonly<Record<DocumentKind, string>> = {
  listing_decision: '列入名单决定书',
  repair_notice: '信用修复告知书',
  repair_decision: '信用修复决定书',
  statement_answer: '陈述申辩答复书',
};

/** The rule every repair document cites (decision 0025). */
export const REPAIR_RULE = '《信用修复管理办法》（国家发展改革委令第36号）';

const day = (d: Date) => {
  const [y, m, dd] = chinaIsoDate(d).split('-');
  return `${y}年${Number(m)}月${Number(dd)}日`;
};
const isoDay = (iso: string) => day(new Date(`${iso}T00:00:00+08:00`));

export interface EntryFacts {
  ownerName: string;
  listTypeName: string;
  legalBasis: string;
  criteria: string | null;
  subjectName: string;
  subjectId: string;
  decisionNo: string;
  decisionDate: string;
  facts: string;
  periodFrom: Date;
  periodTo: Date;
  /** until the obligation is performed: no end date is written (decision 0033) */
  openEnded?: boolean;
}

/** How long the listing lasts, as the letters say it: an end date, or until the obligation is performed. */
const untilText = (e: EntryFacts) => (e.openEnded ? '至履行义务之日止' : `至${day(e.periodTo)}止`);

export interface RepairNoticeFacts {
  repairable: boolean;
  earliestRepairDate: Date | null;
  minRepairDays: number;
  conditions: { code: string; text: string }[];
  commitmentRequired: boolean;
  acceptWorkingDays: number;
  decideWorkingDays: number;
}

export interface RepairDecisionFacts {
  applicationId: string;
  submittedAt: Date;
  acceptedAt: Date | null;
  decidedAt: Date;
  approved: boolean;
  reason: string | null;
}

const party = (e: EntryFacts) => `当事人：${e.subjectName}（统一社会信用代码/身份证号码：${e.subjectId}）`;

/** 列入决定书: what was decided, on which facts and basis, for how long, and the subject's rights. */
export function listingDecisionText(e: EntryFacts, issuedAt: Date): DocumentText {
  return {
    issuer: e.ownerName,
    title: `列入${e.listTypeName}决定书`,
    sections: [
      { paragraphs: [`文号：${e.decisionNo}`, party(e)] },
      { heading: '认定事实', paragraphs: [e.facts] },
      {
        heading: '认定依据',
        paragraphs: [e.legalBasis, ...(e.criteria ? [`认定标准：${e.criteria}`] : [])],
      },
      {
        heading: '决定',
        paragraphs: [
          `本机关决定将当事人列入${e.listTypeName}，公示期自${day(e.periodFrom)}起${untilText(e)}。` +
            `期间相关部门依据联合奖惩备忘录依法实施相应措施，${e.openEnded ? '履行义务后移出' : '期满自动移出'}。`,
        ],
      },
      {
        heading: '权利告知',
        paragraphs: [
          '当事人对本决定认定的信息有异议的，可以向本机关提出异议申请，并提供相关证明材料。',
          '当事人对本决定不服的，可以依法申请行政复议或者提起行政诉讼。',
          '当事人可以按照同时送达的《信用修复告知书》申请信用修复。',
        ],
      },
    ],
    signature: [e.ownerName, `决定日期：${isoDay(e.decisionDate)}`, `送达日期：${day(issuedAt)}`],
  };
}

/** 信用修复告知书, served with the listing decision (两书同达): when and how the entry can be repaired. */
export function repairNoticeText(e: EntryFacts, r: RepairNoticeFacts, issuedAt: Date): DocumentText {
  const how = r.repairable
    ? [
        {
          heading: '可申请修复的时间',
          paragraphs: [
            r.earliestRepairDate && r.minRepairDays > 0
              ? `自${day(r.earliestRepairDate)}起（公示满${r.minRepairDays}日后），当事人可以申请信用修复。`
              : '当事人自即日起可以申请信用修复。',
          ],
        },
        {
          heading: '修复条件',
          paragraphs: r.conditions.map((c, i) => `${i + 1}. ${c.text}`),
        },
        {
          heading: '申请方式与材料',
          paragraphs: [
            '当事人可以通过信用修复平台在线提交申请，或者到信用办窗口委托工作人员代为提交。',
            `申请时提交：修复申请书（履行义务、纠正失信行为的情况说明）；上述每项修复条件的证明材料${
              r.commitmentRequired ? '；签署的信用承诺书' : ''
            }。`,
          ],
        },
        {
          heading: '办理时限',
          paragraphs: [
            `本机关自收到申请之日起${r.acceptWorkingDays}个工作日内决定是否受理；材料不齐全的，一次性告知需要补正的材料，补正期间不计入受理时限。`,
            `受理之日起${r.decideWorkingDays}个工作日内作出是否同意修复的决定，并送达信用修复决定书。`,
          ],
        },
      ]
    : [
        {
          heading: '修复',
          paragraphs: [
            e.openEnded
              ? `${e.listTypeName}不适用提前信用修复，当事人履行义务后移出。`
              : `${e.listTypeName}不适用提前信用修复，公示期满（${day(e.periodTo)}）后自动移出。`,
          ],
        },
      ];
  return {
    issuer: e.ownerName,
    title: '信用修复告知书',
    sections: [
      {
        paragraphs: [
          party(e),
          `本机关已于${isoDay(e.decisionDate)}作出${e.decisionNo}决定，将当事人列入${e.listTypeName}，公示期${untilText(e)}。` +
            `依据${REPAIR_RULE}，现将信用修复有关事项告知如下。`,
        ],
      },
      ...how,
    ],
    signature: [e.ownerName, `送达日期：${day(issuedAt)}`],
  };
}

/** 信用修复决定书: the outcome, with its reason; an approval takes the subject off the list at once. */
export function repairDecisionText(e: EntryFacts, d: RepairDecisionFacts, issuedAt: Date): DocumentText {
  return {
    issuer: e.ownerName,
    title: '信用修复决定书',
    sections: [
      {
        paragraphs: [
          party(e),
          `当事人于${day(d.submittedAt)}就${e.decisionNo}（${e.listTypeName}）提出信用修复申请（申请编号：${d.applicationId}）` +
            (d.acceptedAt ? `，本机关于${day(d.acceptedAt)}受理。` : '。'),
        ],
      },
      {
        heading: '决定',
        paragraphs: d.approved
          ? [
              `经审查，当事人符合信用修复条件。依据${REPAIR_RULE}，本机关决定同意信用修复：自${day(d.decidedAt)}起将当事人移出${e.listTypeName}，停止公示，相关部门解除相应措施。`,
              ...(d.reason ? [`说明：${d.reason}`] : []),
            ]
          : [
              `经审查，本机关决定不予信用修复。理由：${d.reason ?? ''}`,
              `当事人仍在${e.listTypeName}中，公示期${untilText(e)}；符合条件后可以重新申请。`,
              '当事人对本决定不服的，可以依法申请行政复议或者提起行政诉讼。',
            ],
      },
    ],
    signature: [e.ownerName, `决定日期：${day(d.decidedAt)}`, `送达日期：${day(issuedAt)}`],
  };
}

export interface StatementAnswerFacts {
  receiptNo: string;
  receivedAt: Date;
  content: string;
  accepted: boolean;
  /** what an accepted statement did to the entry */
  remedy: 'revoked' | 'corrected' | null;
  reply: string;
  answeredAt: Date;
}

/** 陈述申辩答复书: whether the owner accepted what the subject stated, and why (decision 0030). */
export function statementAnswerText(e: EntryFacts, s: StatementAnswerFacts, issuedAt: Date): DocumentText {
  const answer = s.accepted
    ? [
        '经复核，本机关采纳当事人的陈述申辩意见。',
        s.remedy === 'corrected'
          ? `本机关撤回拟列入${e.listTypeName}的决定，将依据核实后的事实重新作出决定，并另行告知当事人。`
          : `本机关撤销拟列入${e.listTypeName}的决定，当事人不列入${e.listTypeName}。`,
        `说明：${s.reply}`,
      ]
    : [
        `经复核，本机关不予采纳当事人的陈述申辩意见。理由：${s.reply}`,
        `当事人对列入${e.listTypeName}的决定不服的，可以依法申请行政复议或者提起行政诉讼。`,
      ];
  return {
    issuer: e.ownerName,
    title: '陈述申辩答复书',
    sections: [
      {
        paragraphs: [
          party(e),
          `当事人于${day(s.receivedAt)}就本机关拟将其列入${e.listTypeName}（${e.decisionNo}）一事提出陈述申辩（回执编号：${s.receiptNo}）。`,
        ],
      },
      { heading: '陈述申辩意见', paragraphs: [s.content] },
      { heading: '答复', paragraphs: answer },
    ],
    signature: [e.ownerName, `答复日期：${day(s.answeredAt)}`, `送达日期：${day(issuedAt)}`],
  };
}
