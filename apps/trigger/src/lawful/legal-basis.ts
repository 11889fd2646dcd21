import { Colour, EnforcementMode, LAW_LEVELS, LegalBasisLevel, MeasureKind } from '@credit/contracts';
import { LegalityCode, MeasureErrors } from '../memoranda/measure.errors';

/** One instrument a measure rests on (法律依据): its level, title, article, and the national list item. */
export interface LegalInstrument {
  level: LegalBasisLevel;
  /** 《…》 with the document number when it has one, e.g. 《中华人民共和国政府采购法》 */
  title: string;
  /** 第二十二条 …; empty when the whole instrument is cited */
  article?: string;
  /** the item of 全国失信惩戒措施基础清单 the measure implements, e.g. "1.5" */
  basicListItem?: string;
}

/**
 * Which level a cited title has, from its name (used to migrate a legal basis written as text):
 * 合作备忘录 → memorandum; 国发/国办发/中发/中办发 → central document; 最高人民法院…规定/解释 → judicial
 * interpretation; …法 (not 办法) → law; 省/市…条例 → local regulation; …条例 → administrative
 * regulation; …办法/规定/令/通知 → department rule. Anything else is only known as a memorandum's word.
 */
export function classifyInstrument(title: string): LegalBasisLevel {
  const t = title.replace(/\s/g, '');
  if (/备忘录/.test(t)) return 'memorandum';
  if (/(国发|国办发|中发|中办发|厅字)〔/.test(t)) return 'central_document';
  if (/^《?最高人民法院/.test(t)) return 'judicial_interpretation';
  const name = /《([^》]+)》/.exec(t)?.[1] ?? t;
  const bare = name.replace(/[（(][^）)]*[）)]$/, '');
  if (/条例$/.test(bare) && /^(\p{Script=Han}{2,3}(省|市|自治区))/u.test(bare)) return 'local_regulation';
  if (/实施条例$|条例$/.test(bare)) return 'administrative_regulation';
  if (/法$/.test(bare) && !/办法$/.test(bare)) return 'law';
  if (/(办法|规定|规则|令|通知|细则)$/.test(bare) || /令第\d+号/.test(t)) return 'department_rule';
  return 'memorandum';
}

/**
 * A legal basis written as text (`《A》第X条；《B》（文号）`) as instruments: one per `；`-separated
 * citation, the title being the 《…》 with what follows it in brackets, the article what follows that.
 */
export function parseLegalBasis(text: string): LegalInstrument[] {
  return text
    .split(/[；;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((citation) => {
      const match =
        /^(《[^》]+》(?:[（(][^）)]*[）)])?)(.*)$/.exec(citation) ??
        /^(.+?)(第[一二三四五六七八九十百千零〇\d]+条.*)$/.exec(citation);
      const title = match ? match[1] : citation;
      const article = match ? match[2].trim() : '';
      return { level: classifyInstrument(title), title, ...(article ? { article } : {}) };
    });
}

/** The text form of instruments, as the check and the events carry it. */
export function legalBasisText(instruments: LegalInstrument[]): string {
  return instruments.map((i) => `${i.title}${i.article ?? ''}`).join('；');
}

export type { LegalityCode };

export interface LegalityFinding {
  code: LegalityCode;
  /** `error`: refused (422) when created or imported; `warning`: loaded, and reported */
  severity: 'error' | 'warning';
  message: string;
}

/** Which modes each kind of measure may take: punishments restrict, incentives favour. */
export const MODES_FOR_KIND: Record<MeasureKind, readonly EnforcementMode[]> = {
  punishment: ['block', 'warn', 'reference'],
  incentive: ['priority', 'reference'],
};

/** Which colour of list each kind of measure acts on: incentives on red lists, punishments on black. */
export const COLOUR_FOR_KIND: Record<MeasureKind, Colour> = { punishment: 'black', incentive: 'red' };

/**
 * The rules of 依法依规 and 过惩相当 for one measure: its mode fits its kind, its kind fits the colour of
 * the lists it acts on, and a punishment that blocks rests on more than a memorandum (or a department
 * rule alone). A punishment resting on a memorandum only is lawful as a warning or a reference, reported.
 */
export function legalityFindings(measure: {
  kind: MeasureKind;
  mode: EnforcementMode;
  legalBases: LegalInstrument[];
  /** colours of the lists the memorandum acts on, where known */
  colours: Colour[];
}): LegalityFinding[] {
  const findings: LegalityFinding[] = [];
  if (!MODES_FOR_KIND[measure.kind].includes(measure.mode)) {
    findings.push({
      code: MeasureErrors.MODE_NOT_FOR_KIND.code,
      severity: 'error',
      message: `a ${measure.kind} cannot be '${measure.mode}' (allowed: ${MODES_FOR_KIND[measure.kind].join(', ')})`,
    });
  }
  const wrongColour = measure.colours.filter((c) => c !== COLOUR_FOR_KIND[measure.kind]);
  if (wrongColour.length > 0) {
    findings.push({
      code: MeasureErrors.KIND_NOT_FOR_COLOUR.code,
      severity: 'error',
      message: `a ${measure.kind} acts on ${COLOUR_FOR_KIND[measure.kind]} lists only, not on ${wrongColour[0]} ones`,
    });
  }
  if (measure.kind === 'punishment') {
    const lawful = measure.legalBases.some((b) => LAW_LEVELS.includes(b.level));
    if (!lawful && measure.mode === 'block') {
      findings.push({
        code: MeasureErrors.BLOCK_NEEDS_LAW.code,
        severity: 'error',
        message:
          'a punishment that blocks needs a law, regulation, judicial interpretation or 党中央/国务院 document ' +
          `among its bases; it rests on ${describe(measure.legalBases)} (it may be 'warn' or 'reference')`,
      });
    } else if (measure.legalBases.every((b) => b.level === 'memorandum')) {
      findings.push({
        code: MeasureErrors.MEMORANDUM_ONLY.code,
        severity: 'warning',
        message: `a punishment resting on a memorandum only (${measure.mode}): give it its law, or keep it advisory`,
      });
    }
  }
  return findings;
}

function describe(bases: LegalInstrument[]): string {
  const levels = [...new Set(bases.map((b) => b.level))];
  return levels.length === 0 ? 'nothing' : `${levels.join(' and ')} only`;
}
