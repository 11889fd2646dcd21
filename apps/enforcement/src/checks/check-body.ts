import { CHECK_STAGES, CheckStage } from '@credit/contracts';
import { FieldError, RequestValidationError } from '@credit/platform';

const ACTION = /^[a-z0-9_]{2,64}$/;
const KEYS = new Set(['subject', 'action', 'stage']);

/**
 * The check's body, validated by hand: the same rules as `CheckDto` (which documents it), without
 * class-transformer and class-validator on the hottest route (they cost about a tenth of its CPU).
 */
export function parseCheckBody(body: unknown): { subjectId: string; action: string; stage?: CheckStage } {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string) => errors.push({ field, code, message });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestValidationError([
      { field: 'body', code: 'VALIDATION.IS_OBJECT', message: 'the body must be a JSON object' },
    ]);
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!KEYS.has(key)) fail(key, 'VALIDATION.WHITELIST_VALIDATION', `property ${key} should not exist`);
  }
  const subject = b.subject as Record<string, unknown> | undefined;
  const id = typeof subject === 'object' && subject !== null ? subject.id : undefined;
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) {
    fail('subject', 'VALIDATION.IS_OBJECT', 'subject must be an object { id }');
  } else {
    for (const key of Object.keys(subject)) {
      if (key !== 'id')
        fail(`subject.${key}`, 'VALIDATION.WHITELIST_VALIDATION', `property ${key} should not exist`);
    }
    if (typeof id !== 'string' || id.length < 1 || id.length > 64) {
      fail('subject.id', 'VALIDATION.IS_STRING', 'subject.id must be a string of 1–64 characters');
    }
  }
  if (typeof b.action !== 'string' || !ACTION.test(b.action)) {
    fail('action', 'VALIDATION.MATCHES', 'action must be 2–64 of a–z, 0–9 or _');
  }
  if (b.stage !== undefined && !(CHECK_STAGES as readonly unknown[]).includes(b.stage)) {
    fail('stage', 'VALIDATION.IS_IN', `stage must be one of ${CHECK_STAGES.join(', ')}`);
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
  return {
    subjectId: id as string,
    action: b.action as string,
    ...(b.stage ? { stage: b.stage as CheckStage } : {}),
  };
}
