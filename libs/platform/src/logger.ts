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
    formatters: { level: (label) => ({ level: label }) },
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
