/**
 * A domain error: a stable code (`LIST_ENTRY.NOT_OWNER`), the HTTP status it maps to, and a message a
 * person can read. Thrown by use cases; the HTTP layer turns it into RFC 9457 problem details.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) => new DomainError(code, 404, message);
export const forbidden = (code: string, message: string) => new DomainError(code, 403, message);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new DomainError(code, 409, message, undefined, extra);
export const unprocessable = (code: string, message: string, field?: string) =>
  new DomainError(code, 422, message, field);
