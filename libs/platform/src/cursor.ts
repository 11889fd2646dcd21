import { ValidationErrors } from './errors/validation.errors';
import { RequestValidationError } from './problem-details';

/** Opaque keyset cursors for `{ items, nextCursor }` collections. */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'cursor'): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string')) return parts;
  } catch {
    // fall through
  }
  throw new RequestValidationError([
    { field, code: ValidationErrors.CURSOR.code, message: `${field} is not a valid cursor` },
  ]);
}
