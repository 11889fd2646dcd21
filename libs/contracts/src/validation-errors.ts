import { ValidationError } from 'class-validator';

/** One thing wrong with a payload or a body: the field's dotted path, the rule it breaks, in words. */
export interface PayloadViolation {
  field: string;
  constraint: string;
  message: string;
}

/** Flattens class-validator's tree (HTTP bodies, workbook rows) into `field.path` violations. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): PayloadViolation[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      constraint,
      message,
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}
