/**
 * A measure's legal basis as the console edits it (decision 0031): instruments with a level, a title, an
 * article and the item of 全国失信惩戒措施基础清单. The form checks what it can say at once (shape, lengths,
 * duplicates); whether a block rests on a law is the service's rule, shown as its error.
 */
export const LEGAL_BASIS_LEVELS = [
  'law',
  'administrative_regulation',
  'judicial_interpretation',
  'central_document',
  'department_rule',
  'local_regulation',
  'memorandum',
] as const;
export type LegalBasisLevel = (typeof LEGAL_BASIS_LEVELS)[number];

export const LEVEL_LABELS: Record<LegalBasisLevel, string> = {
  law: '法律',
  administrative_regulation: '行政法规',
  judicial_interpretation: '司法解释',
  central_document: '党中央、国务院政策文件',
  department_rule: '部门规章',
  local_regulation: '地方性法规',
  memorandum: '合作备忘录',
};

/** The levels that may ground a block (the service's LAW_LEVELS). */
export const LAW_LEVELS: readonly LegalBasisLevel[] = [
  'law',
  'administrative_regulation',
  'judicial_interpretation',
  'central_document',
  'local_regulation',
];

export type MeasureKind = 'punishment' | 'incentive';
export type MeasureMode = 'block' | 'warn' | 'reference' | 'priority';

export const MODES_FOR_KIND: Record<MeasureKind, readonly MeasureMode[]> = {
  punishment: ['block', 'warn', 'reference'],
  incentive: ['priority', 'reference'],
};
export const MODE_LABELS: Record<MeasureMode, string> = {
  block: '禁止（拦截）',
  warn: '提示（警示）',
  reference: '参考',
  priority: '优先（激励）',
};
export const KIND_LABELS: Record<MeasureKind, string> = { punishment: '惩戒', incentive: '激励' };

export interface InstrumentInput {
  level?: string;
  title?: string;
  article?: string;
  basicListItem?: string;
}

export interface LegalInstrument {
  level: LegalBasisLevel;
  title: string;
  article?: string;
  basicListItem?: string;
}

export interface FormProblem {
  field: string;
  message: string;
}

const BASIC_LIST_ITEM = /^[0-9]+(\.[0-9]+)*$/;

/** What the form refuses before sending: every problem, each naming its field (`legalBases[i].title`). */
export function legalBasisProblems(instruments: readonly InstrumentInput[] | undefined): FormProblem[] {
  const problems: FormProblem[] = [];
  const list = instruments ?? [];
  if (list.length === 0) problems.push({ field: 'legalBases', message: '至少填写一项法律依据' });
  const seen = new Set<string>();
  list.forEach((b, i) => {
    const at = `legalBases[${i}]`;
    if (!b.level || !(LEGAL_BASIS_LEVELS as readonly string[]).includes(b.level))
      problems.push({ field: `${at}.level`, message: '请选择依据的效力层级' });
    const title = b.title?.trim() ?? '';
    if (!title) problems.push({ field: `${at}.title`, message: '请填写文件名称' });
    else if (title.length > 500) problems.push({ field: `${at}.title`, message: '文件名称不超过 500 字' });
    if ((b.article?.trim().length ?? 0) > 200)
      problems.push({ field: `${at}.article`, message: '条款不超过 200 字' });
    const item = b.basicListItem?.trim();
    if (item && (!BASIC_LIST_ITEM.test(item) || item.length > 32))
      problems.push({ field: `${at}.basicListItem`, message: '基础清单条目形如 1.5 或 2.3.1' });
    const key = `${b.level}|${title}|${b.article?.trim() ?? ''}`;
    if (title && seen.has(key)) problems.push({ field: `${at}.title`, message: '与前面的依据重复' });
    seen.add(key);
  });
  return problems;
}

/** The instruments as the API takes them: trimmed, empty optional parts left out. */
export function toLegalBases(instruments: readonly InstrumentInput[]): LegalInstrument[] {
  return instruments.map((b) => {
    const article = b.article?.trim();
    const item = b.basicListItem?.trim();
    return {
      level: b.level as LegalBasisLevel,
      title: b.title!.trim(),
      ...(article ? { article } : {}),
      ...(item ? { basicListItem: item } : {}),
    };
  });
}

/**
 * What the form says beside the basis before it is sent: a punishment resting on a memorandum (or a
 * department rule) alone is reported by the legality report, and as a block the service refuses it.
 */
export function basisAdvice(
  kind: MeasureKind | undefined,
  mode: MeasureMode | undefined,
  instruments: readonly InstrumentInput[] | undefined,
): 'block-needs-law' | 'memorandum-only' | undefined {
  if (kind !== 'punishment' || !instruments?.length) return undefined;
  const lawful = instruments.some((b) => LAW_LEVELS.includes(b.level as LegalBasisLevel));
  if (lawful) return undefined;
  return mode === 'block' ? 'block-needs-law' : 'memorandum-only';
}

/** An instrument as one line: 《政府采购法》第二十二条（法律；基础清单 1.5）. */
export function instrumentLine(b: LegalInstrument): string {
  const level = LEVEL_LABELS[b.level] ?? b.level;
  return `${b.title}${b.article ?? ''}（${level}${b.basicListItem ? `；基础清单 ${b.basicListItem}` : ''}）`;
}

export interface MeasureFormValues {
  text: string;
  kind: MeasureKind;
  dept: string;
  mode: MeasureMode;
  subjectKinds: string[];
  relatedRoles?: string[];
  actions: string[];
  feedbackWorkingDays: number;
  minSeverity?: string;
  minAmount?: number | null;
  violationKinds?: string[];
  legalBases: InstrumentInput[];
}

/** The body of PUT /v1/measures/{code} (the next version) from the form. */
export function toChangeMeasureBody(v: MeasureFormValues) {
  const conditions = {
    ...(v.minAmount !== undefined && v.minAmount !== null ? { minAmount: v.minAmount } : {}),
    ...(v.violationKinds?.length ? { violationKinds: v.violationKinds } : {}),
  };
  return {
    text: v.text.trim(),
    kind: v.kind,
    dept: v.dept,
    mode: v.mode,
    subjectKinds: v.subjectKinds,
    ...(v.relatedRoles?.length ? { relatedRoles: v.relatedRoles } : {}),
    actions: v.actions,
    feedbackWorkingDays: v.feedbackWorkingDays,
    ...(v.minSeverity ? { minSeverity: v.minSeverity } : {}),
    ...(Object.keys(conditions).length ? { conditions } : {}),
    legalBases: toLegalBases(v.legalBases),
  };
}

/** The legality findings' codes (the service's legalityFindings), in words. */
export const FINDING_LABELS: Record<string, string> = {
  'MEASURE.BLOCK_NEEDS_LAW': '禁止类措施须有法律、法规或党中央、国务院政策文件依据',
  'MEASURE.MEMORANDUM_ONLY': '仅有合作备忘录依据',
  'MEASURE.MODE_NOT_FOR_KIND': '实施方式与措施类别不符',
  'MEASURE.KIND_NOT_FOR_COLOUR': '措施类别与名单颜色不符',
};

export interface LegalityFinding {
  code: string;
  severity: 'error' | 'warning';
  message: string;
}
