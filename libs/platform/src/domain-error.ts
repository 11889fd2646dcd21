import type { ErrorSpec } from '@credit/contracts';

export { codeCatalogueUse, defineCodes, defineErrors, isErrorCatalogue } from '@credit/contracts';
export type { CodeSpec, CodeUse, ErrorCatalogue, ErrorSpec } from '@credit/contracts';

export interface DomainErrorInit {
  /** The catalogue entry: code and status come from it, never from the throw site. */
  error: ErrorSpec;
  /** What happened this time, in words; the entry's message when not given. */
  detail?: string;
  /** The request field it is about (problem details then name it in `errors`); the entry's field if any. */
  field?: string;
  /** Extension members of the problem details (`overlappingEntryId`, `errors`, …). */
  extra?: Record<string, unknown>;
}

/**
 * A domain error: a catalogue entry and what happened. Thrown by use cases; the HTTP layer turns it into
 * RFC 9457 problem details (status, code, detail, field, extension members).
 */
export class DomainError extends Error {
  declare readonly error: ErrorSpec;
  readonly code: string;
  readonly status: number;
  readonly field?: string;
  readonly extra?: Record<string, unknown>;

  constructor({ error, detail, field, extra }: DomainErrorInit) {
    super(detail ?? error.message);
    this.name = 'DomainError';
    // not enumerable: loggers walk an error's own fields, and a catalogue entry (frozen, with a `message`)
    // looks like a nested error to pino's serializer, which then fails tagging it — and the answer with it
    Object.defineProperty(this, 'error', { value: error, enumerable: false });
    this.code = error.code;
    this.status = error.status;
    this.field = field ?? error.field;
    this.extra = extra;
  }
}
