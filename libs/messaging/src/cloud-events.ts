import { randomUUID } from 'node:crypto';
import { CloudEvent } from '@credit/contracts';
import { DeadLetterReasons } from './messaging.errors';

export interface NewEvent<T> {
  type: string;
  source: string;
  subject?: string;
  data: T;
  actorDept?: string;
  correlationId?: string;
  id?: string;
  time?: Date;
}

export function createCloudEvent<T>(e: NewEvent<T>): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: e.id ?? randomUUID(),
    source: e.source,
    type: e.type,
    time: (e.time ?? new Date()).toISOString(),
    ...(e.subject ? { subject: e.subject } : {}),
    datacontenttype: 'application/json',
    ...(e.actorDept ? { actordept: e.actorDept } : {}),
    ...(e.correlationId ? { correlationid: e.correlationId } : {}),
    data: e.data,
  };
}

export class EnvelopeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a record value into a CloudEvent, checking the attributes every consumer relies on. */
export function parseCloudEvent(value: Buffer | null): CloudEvent {
  if (value === null || value.length === 0)
    throw new EnvelopeError(DeadLetterReasons.EMPTY.code, 'record has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new EnvelopeError(
      DeadLetterReasons.MALFORMED_JSON.code,
      `value is not JSON: ${(err as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EnvelopeError(DeadLetterReasons.INVALID_ENVELOPE.code, 'value is not a JSON object');
  }
  const e = parsed as Record<string, unknown>;
  const missing = ['id', 'source', 'type', 'time'].filter((k) => typeof e[k] !== 'string' || e[k] === '');
  if (e.specversion !== '1.0') missing.unshift('specversion');
  if (!('data' in e)) missing.push('data');
  if (missing.length > 0) {
    throw new EnvelopeError(
      DeadLetterReasons.INVALID_ENVELOPE.code,
      `CloudEvents attributes missing or wrong: ${missing.join(', ')}`,
    );
  }
  if (Number.isNaN(Date.parse(e.time as string))) {
    throw new EnvelopeError(DeadLetterReasons.INVALID_ENVELOPE.code, 'time is not an RFC 3339 timestamp');
  }
  return e as unknown as CloudEvent;
}
