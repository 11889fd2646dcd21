/**
 * Thrown by an event handler when the event can never be applied (unknown assignment, feedback from the
 * wrong department…): it is dead-lettered at once with this code, without retries.
 */
export class RejectedEventError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RejectedEventError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '53300',
]);

/**
 * Infrastructure failures (database down, connection reset): the event is fine, so it must not be
 * dead-lettered; the consumer holds its position and the record is delivered again.
 */
export function isTransientInfrastructureError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

/** SQLSTATE classes that say the system is unwell (connection, resources, operator, locks, a bug in SQL). */
const SYSTEM_SQLSTATE_CLASSES = new Set(['08', '40', '42', '53', '55', '57', '58', 'XX']);

/**
 * Whether a failed write may be the fault of one of its records (a value the database refuses: a NUL,
 * a number out of range, a date it cannot read…) rather than of the system: only then does splitting the
 * batch to find the record make sense. Infrastructure failures keep the whole batch for a later retry.
 */
export function mayBeRecordFault(err: unknown): boolean {
  if (isTransientInfrastructureError(err)) return false;
  const code = (err as { code?: unknown })?.code;
  return !(typeof code === 'string' && SYSTEM_SQLSTATE_CLASSES.has(code.slice(0, 2)));
}

/**
 * A value the database refuses (SQLSTATE class 22, data exception: a NUL in JSON text, a number out of
 * range, a date it cannot read): the same event meets it on every attempt, so retrying only holds the
 * partition up.
 */
export function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.slice(0, 2) === '22';
}
