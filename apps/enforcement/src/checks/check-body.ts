import Ajv, { ErrorObject } from 'ajv';
import { CHECK_STAGES, CheckStage } from '@credit/contracts';
import { FieldError, RequestValidationError, ValidationErrors } from '@credit/platform';
import { CheckBody, CheckBodySchema } from './check.schema';

/**
 * The check's body validator: `CheckBodySchema` compiled once by ajv, every error reported (as the
 * validation pipe does), nothing coerced or removed — an unknown property is refused, not stripped.
 * Fastify runs it for the route (check.route.ts); `parseCheckBody` runs it directly.
 */
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
export const validateCheckBody = ajv.compile<CheckBody>(CheckBodySchema);

/**
 * ajv's errors as the same field errors (and codes) the validation pipe gives for the same rules
 * (`VALIDATION.IS_OBJECT`, `…WHITELIST_VALIDATION`, `…IS_STRING`, `…MATCHES`, `…IS_IN`), one per field,
 * in the order of the body's fields.
 */
export function checkBodyErrors(errors: readonly ErrorObject[]): FieldError[] {
  const found = new Map<string, FieldError & { rank: number }>();
  const add = (rank: number, field: string, code: string, message: string) => {
    if (!found.has(field)) found.set(field, { rank, field, code, message });
  };
  for (const e of errors) {
    const path = e.instancePath.split('/').slice(1);
    // a missing property is an error of that property
    if (e.keyword === 'required') path.push((e.params as { missingProperty: string }).missingProperty);
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      add(
        path.length === 0 ? 0 : 2,
        [...path, extra].join('.'),
        ValidationErrors.WHITELIST_VALIDATION.code,
        `property ${extra} should not exist`,
      );
      continue;
    }
    const field = path.join('.');
    if (field === '') add(-1, 'body', ValidationErrors.IS_OBJECT.code, 'the body must be a JSON object');
    else if (field === 'subject')
      add(1, field, ValidationErrors.IS_OBJECT.code, 'subject must be an object { id }');
    else if (field === 'subject.id')
      add(3, field, ValidationErrors.IS_STRING.code, 'subject.id must be a string of 1–64 characters');
    else if (field === 'action')
      add(4, field, ValidationErrors.MATCHES.code, 'action must be 2–64 of a–z, 0–9 or _');
    else if (field === 'stage')
      add(5, field, ValidationErrors.IS_IN.code, `stage must be one of ${CHECK_STAGES.join(', ')}`);
    else add(6, field, `VALIDATION.${e.keyword.toUpperCase()}`, e.message ?? 'is not valid');
  }
  return [...found.values()]
    .sort((a, b) => a.rank - b.rank)
    .map(({ field, code, message }) => ({ field, code, message }));
}

/** The body as the use case takes it; throws `RequestValidationError` naming every bad field. */
export function parseCheckBody(body: unknown): { subjectId: string; action: string; stage?: CheckStage } {
  if (!validateCheckBody(body))
    throw new RequestValidationError(checkBodyErrors(validateCheckBody.errors ?? []));
  return fromCheckBody(body);
}

export function fromCheckBody(body: CheckBody): { subjectId: string; action: string; stage?: CheckStage } {
  return { subjectId: body.subject.id, action: body.action, ...(body.stage ? { stage: body.stage } : {}) };
}
