import { MeasureExclusion } from './measure-exclusion.entity';

export function toExclusionView(x: MeasureExclusion) {
  return {
    entryId: x.entryId,
    measureCode: x.measureCode,
    reason: x.reason,
    by: `${x.byDept}/${x.bySub}`,
    at: x.at.toISOString(),
  };
}
