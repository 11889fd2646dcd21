import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';

export function toMeasureView(x: Measure) {
  return {
    code: x.code,
    version: x.version,
    memorandumCode: x.memorandumCode,
    text: x.text,
    kind: x.kind,
    dept: x.dept,
    legalBasis: x.legalBasis,
    legalBases: x.legalBases,
    minSeverity: x.minSeverity,
    conditions: x.conditions,
    listTypes: x.listTypes,
    subjectKinds: x.subjectKinds,
    relatedRoles: x.relatedRoles,
    actions: x.actions,
    mode: x.mode,
    feedbackWorkingDays: x.feedbackWorkingDays,
    current: x.current,
    retiredAt: x.retiredAt?.toISOString() ?? null,
  };
}

export function toMemorandumView(m: Memorandum, measures: Measure[]) {
  return {
    code: m.code,
    title: m.title,
    documentNo: m.documentNo,
    listTypes: m.listTypes,
    signatories: m.signatories,
    effectiveFrom: m.effectiveFrom,
    effectiveTo: m.effectiveTo,
    colour: m.colour,
    windowState: m.windowState,
    createdAt: m.createdAt.toISOString(),
    measures: measures.map(toMeasureView),
  };
}
