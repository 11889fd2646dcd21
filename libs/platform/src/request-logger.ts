import type { Bindings, ChildLoggerOptions, Logger as Pino } from 'pino';

type LogMethod = (...args: unknown[]) => void;
const METHODS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * The logger Fastify gives each request (`request.log`), made into a pino child only when a line is
 * written at an enabled level. A child per request (its bindings serialised, redaction applied, its level
 * set) cost ~3 µs and its garbage on every request, although at the usual levels nearly every request
 * writes nothing: the hottest route, the check, answers thousands of times a second (decision 0014).
 * Lines that are written are the same: same bindings (the request id), same options.
 */
export class LazyRequestLogger {
  private made?: Pino;
  declare fatal: LogMethod;
  declare error: LogMethod;
  declare warn: LogMethod;
  declare info: LogMethod;
  declare debug: LogMethod;
  declare trace: LogMethod;

  private readonly options: ChildLoggerOptions;

  constructor(
    private readonly parent: Pino,
    private readonly childBindings: Bindings,
    options: ChildLoggerOptions,
  ) {
    // Fastify passes `level: ''` for a route without its own log level: that means "the parent's level",
    // not a level of its own (taken as one, it disabled every request line)
    if (options.level === '' || options.level == null) {
      const { level: _none, ...rest } = options;
      this.options = rest;
    } else {
      this.options = options;
    }
  }

  /** The pino child, made at the first line written (or when asked for its own child or level). */
  get logger(): Pino {
    return (this.made ??= this.parent.child(this.childBindings, this.options));
  }

  /** Whether a pino child has been made for this request (for tests). */
  get materialised(): boolean {
    return this.made !== undefined;
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.made) return this.made.isLevelEnabled(level);
    const values = this.parent.levels.values;
    return values[level] >= values[this.level];
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Pino {
    return this.logger.child(bindings, options);
  }

  bindings(): Bindings {
    return this.logger.bindings();
  }
}

for (const method of METHODS) {
  LazyRequestLogger.prototype[method] = function (this: LazyRequestLogger, ...args: unknown[]) {
    if (!this.isLevelEnabled(method)) return;
    (this.logger[method] as LogMethod)(...args);
  };
}

/** Fastify's `childLoggerFactory`: a lazy request logger instead of a pino child per request. */
export function lazyRequestLoggerFactory(
  logger: Pino,
  bindings: Bindings,
  options: ChildLoggerOptions,
): LazyRequestLogger {
  return new LazyRequestLogger(logger, bindings, options);
}
