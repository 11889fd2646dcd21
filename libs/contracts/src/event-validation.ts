import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { EventType } from './event-types';
import { PATTERN_NAMES } from './schema-types';
import { EVENT_SCHEMAS, EventPayloads, isEventType } from './schemas';
import { PayloadViolation } from './validation-errors';

/*
 * The one validation engine for event payloads (decision 0043): each type's JSON Schema compiled by ajv
 * once, on its first message, and the compiled function kept — a message costs one call of it.
 */

const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new Map<EventType, ValidateFunction>();

/** The compiled validator of an event type's payload (compiled on first use, then cached). */
export function payloadValidator<T extends EventType>(type: T): ValidateFunction<EventPayloads[T]> {
  let validate = compiled.get(type);
  if (!validate) {
    validate = ajv.compile(EVENT_SCHEMAS[type]);
    compiled.set(type, validate);
  }
  return validate as ValidateFunction<EventPayloads[T]>;
}

/**
 * Validates an event's data against the schema of its type. Returns the violations (empty when valid);
 * `undefined` when the type has no schema (outside the contract: a consumer that takes it reads it as
 * `unknown`).
 */
export function validateEventData(type: string, data: unknown): PayloadViolation[] | undefined {
  if (!isEventType(type)) return undefined;
  const validate = payloadValidator(type);
  if (validate(data)) return [];
  return readableViolations(validate.errors ?? []);
}

/** Whether `data` is a valid payload of `type` (narrows it to the type's payload). */
export function isPayloadOf<T extends EventType>(type: T, data: unknown): data is EventPayloads[T] {
  return payloadValidator(type)(data);
}

/**
 * ajv's errors as the dead letter's reason reads them: `subject.id: must be a UUID`. An optional property
 * is "the value or null": when the value is wrong, the "must be null" branch and the anyOf summary say
 * nothing the first branch did not.
 */
export function readableViolations(errors: readonly ErrorObject[]): PayloadViolation[] {
  const telling = errors.filter((e) => e.keyword !== 'anyOf' && !isNullBranch(e));
  const explained = (path: string) =>
    telling.some((e) => e.instancePath === path || e.instancePath.startsWith(`${path}/`));
  const out: PayloadViolation[] = [];
  for (const e of errors) {
    if ((e.keyword === 'anyOf' || isNullBranch(e)) && explained(e.instancePath)) continue;
    const path = e.instancePath.split('/').slice(1).map(unescapePointer);
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path.push(String((e.params as { missingProperty: string }).missingProperty));
      message = 'is required';
    } else if (e.keyword === 'pattern') {
      message = PATTERN_NAMES.get((e.params as { pattern: string }).pattern) ?? message;
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    out.push({ field: path.length > 0 ? path.join('.') : 'data', constraint: e.keyword, message });
  }
  return out;
}

function isNullBranch(e: ErrorObject): boolean {
  return e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null';
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
