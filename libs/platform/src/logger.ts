import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';

/** Keys whose values are personal identifiers or secrets: never written to a log as they are. */
const REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  '*.authorization',
  '*.password',
  '*.secret',
];

/** A resident ID number (18 characters, the last may be X; or the old 15 digits) standing alone in text. */
const ID_NUMBER_IN_TEXT = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
/** A quoted value holding CJK characters or digits, as PostgreSQL quotes values in its messages. */
const QUOTED_VALUE = /"([^"]*[\u3400-\u9fff\d][^"]*)"/g;
/** Keys whose value is a person's or subject's name. */
const NAME_KEY = /^(?:name|subjectName|personName|formerName|legalRepresentative)$/;
/** What a failed database query carries that may hold personal data: its values and its text. */
const DATABASE_ERROR_KEYS = new Set([
  'parameters',
  'query',
  'detail',
  'where',
  'driverError',
  'internalQuery',
]);

/**
 * Masks personal data in free text for a log line: ID numbers (18 or 15 characters) and quoted values
 * with CJK characters or digits (PostgreSQL's `invalid input syntax …: "张三"`, `Key (id)=(…)`).
 */
export function maskPersonalText(text: string): string {
  return text
    .replace(ID_NUMBER_IN_TEXT, (id) => maskIdentifier(id))
    .replace(QUOTED_VALUE, (_all, value: string) => `"${maskName(value)}"`)
    .replace(/\)=\(([^)]*)\)/g, ')=(***)');
}

/**
 * The error serializer of every log line: pino's, minus what a failed query carries (TypeORM's
 * QueryFailedError has the query text and its parameters, PostgreSQL's detail quotes the row's values),
 * with ID numbers and quoted names masked in the message and stack.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? maskPersonalText(err) : err;
  const plain = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plain)) {
    if (DATABASE_ERROR_KEYS.has(key)) continue;
    // an error's `name` is its class (QueryFailedError), not a person's
    safe[key] = key === 'name' || key === 'type' ? value : maskLogValue(value, key, 0);
  }
  return safe;
}

/** Personal data masked in what a log line holds (plain objects, arrays and strings; a few levels deep). */
function maskLogValue(value: unknown, key: string, depth: number): unknown {
  if (typeof value === 'string') return NAME_KEY.test(key) ? maskName(value) : maskPersonalText(value);
  if (depth >= 4 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => maskLogValue(v, key, depth + 1));
  if (value instanceof Error) return serializeError(value);
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'parameters' || k === 'driverError') continue; // a failed query's values, as a plain object
    out[k] = maskLogValue(v, k, depth + 1);
  }
  return out;
}

/** Masks personal data in a log line's fields (pino's `formatters.log`); errors go to `serializeError`. */
export function maskLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in fields) {
    const value = fields[key];
    if (value instanceof Error || typeof value === 'number' || typeof value === 'boolean') continue;
    const masked = maskLogValue(value, key, 0);
    if (masked !== value) (out ??= { ...fields })[key] = masked;
  }
  return out ?? fields;
}

export function createRootLogger(
  processName: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Pino {
  const options: pino.LoggerOptions = {
    level,
    // the process (one service, or several in one process); each service's own loggers add `service`
    base: { process: processName },
    redact: { paths: REDACT, censor: '***' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: maskLogFields },
    // no ID number or name in clear on any line (STYLE.md): errors and fields are masked as written
    serializers: { err: serializeError, error: serializeError },
    // the message itself too (Nest's and kafkajs's messages are free text)
    hooks: {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === 'string') args[i] = maskPersonalText(args[i] as string);
        }
        return method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Masks a subject identifier for logs and public views: keeps the first 4 and last 2 characters
 * (enough to tell records apart, not enough to identify a person).
 */
export function maskIdentifier(id: string | null | undefined): string {
  if (!id) return '';
  if (id.length <= 6) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 6)}${id.slice(-2)}`;
}

/** Masks a person's name: keeps the first character (张**). */
export function maskName(name: string | null | undefined): string {
  if (!name) return '';
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/**
 * Who made a request, for its request line: `sub`, `dept` and `roles` of the verified caller (set on the
 * request by the auth guard or the check route). A `subject` token's `sub` is the subject's own ID number
 * or code: masked like any identifier.
 */
export function callerOf(request: unknown): { sub?: string; dept?: string; roles?: string[] } {
  const principal = (request as { principal?: { sub: string; dept: string; roles: string[] } }).principal;
  if (!principal) return {};
  const { sub, dept, roles } = principal;
  return { sub: roles.includes('subject') ? maskIdentifier(sub) : sub, dept, roles };
}

/** Nest's logger interface over pino: one JSON line per message. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string) {
    this.write('error', message, context ?? stackOrContext);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.pino[level]({ context, ...rest }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.pino[level]({ context }, String(message));
    }
  }
}

/** DI token of the process's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
