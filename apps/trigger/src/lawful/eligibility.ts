import { Colour, Severity, SEVERITY_ORDER } from '@credit/contracts';
import type { MeasureConditions } from '../memoranda/measure.entity';
import { COLOUR_FOR_KIND } from './legal-basis';
import type { MeasureKind } from '@credit/contracts';

/** Why a measure that applies to an entry's list type does not reach it (decision 0031). */
export type Ineligibility =
  | 'memorandum_not_in_effect'
  | 'kind_not_for_colour'
  | 'below_min_severity'
  | 'amount_below_minimum'
  | 'violation_kind_not_named'
  | 'excluded_by_owner';

/**
 * 过惩相当: whether one measure reaches one entry beyond its list type and subject kind — its memorandum
 * in effect, its kind fitting the list's colour, the entry as severe as it asks, the decision showing
 * what its conditions ask (an entry that does not say fails a condition), and not excluded by the owner.
 */
export function ineligibility(
  measure: {
    kind: MeasureKind;
    minSeverity: Severity | null;
    conditions: MeasureConditions | null;
    inEffect: boolean;
  },
  entry: {
    listColour: Colour;
    severity: Severity | null;
    decisionAmount: number | null;
    violationKind: string | null;
    excluded: boolean;
  },
): Ineligibility | undefined {
  if (!measure.inEffect) return 'memorandum_not_in_effect';
  if (COLOUR_FOR_KIND[measure.kind] !== entry.listColour) return 'kind_not_for_colour';
  if (
    measure.minSeverity &&
    (entry.severity === null ||
      SEVERITY_ORDER.indexOf(entry.severity) < SEVERITY_ORDER.indexOf(measure.minSeverity))
  )
    return 'below_min_severity';
  const c = measure.conditions;
  if (c?.minAmount !== undefined && (entry.decisionAmount === null || entry.decisionAmount < c.minAmount))
    return 'amount_below_minimum';
  if (c?.violationKinds && (entry.violationKind === null || !c.violationKinds.includes(entry.violationKind)))
    return 'violation_kind_not_named';
  if (entry.excluded) return 'excluded_by_owner';
  return undefined;
}
