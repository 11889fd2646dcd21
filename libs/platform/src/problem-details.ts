import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  ParseUUIDPipe,
  Logger,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import { QuotaExceededError } from './quota/quota-exceeded';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Thrown by the validation pipe: carries the field-level errors. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super('the request is not valid');
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: `VALIDATION.${constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
      message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** One global pipe: transform to DTO classes, strip unknown properties, report every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

function codeFromStatus(status: number): string {
  return `HTTP.${(TITLES[status] ?? 'ERROR').toUpperCase().replace(/ /g, '_')}`;
}

/** Database constraints that stand for a domain rule (e.g. an exclusion constraint backing a check). */
const CONSTRAINT_ERRORS = new Map<string, { code: string; status: number; message: string }>();

/** Maps a violated constraint to the domain error the application would have raised itself. */
export function registerConstraintError(
  constraint: string,
  code: string,
  status: number,
  message: string,
): void {
  CONSTRAINT_ERRORS.set(constraint, { code, status, message });
}

/** Every error leaves as application/problem+json with a stable code and the correlation id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

const problemLogger = new Logger('http');

/**
 * Answers an error as problem details — what the filter does, for a route served by Fastify directly
 * (outside Nest's pipeline).
 */
export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error'> = problemLogger,
): FastifyReply {
  const problem = toProblem(exception);
  problem.instance = request.url;
  problem.correlationId = String(request.id);
  if (problem.status >= 500) {
    logger.error({ err: exception, correlationId: request.id }, 'unhandled error');
  }
  if (exception instanceof QuotaExceededError) void reply.header('retry-after', exception.retryAfterSeconds);
  return reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
}

function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof RequestValidationError) {
    return {
      type: 'about:blank',
      title: TITLES[400],
      status: 400,
      detail: `invalid fields: ${[...new Set(exception.errors.map((e) => e.field))].join(', ')}`,
      code: 'VALIDATION.FAILED',
      errors: exception.errors,
    };
  }
  if (exception instanceof DomainError) {
    return {
      ...(exception.extra ?? {}), // extension members first: they never replace the standard ones
      type: 'about:blank',
      title: TITLES[exception.status] ?? 'Error',
      status: exception.status,
      detail: exception.message,
      code: exception.code,
      ...(exception.field
        ? { errors: [{ field: exception.field, code: exception.code, message: exception.message }] }
        : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const given = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    return {
      type: 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail: typeof given.detail === 'string' ? given.detail : exception.message,
      code: typeof given.code === 'string' ? given.code : codeFromStatus(status),
    };
  }
  const constraint = (exception as { driverError?: { constraint?: unknown } })?.driverError?.constraint;
  const mapped = typeof constraint === 'string' ? CONSTRAINT_ERRORS.get(constraint) : undefined;
  if (mapped) {
    return {
      type: 'about:blank',
      title: TITLES[mapped.status] ?? 'Error',
      status: mapped.status,
      detail: mapped.message,
      code: mapped.code,
    };
  }
  // fastify's own errors (bad JSON body, wrong content type) carry a statusCode
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      type: 'about:blank',
      title: TITLES[statusCode] ?? 'Error',
      status: statusCode,
      detail: (exception as Error).message,
      code: statusCode === 400 ? 'REQUEST.MALFORMED' : codeFromStatus(statusCode),
    };
  }
  return {
    type: 'about:blank',
    title: TITLES[500],
    status: 500,
    detail: 'an unexpected error occurred; quote the correlation id when reporting it',
    code: 'INTERNAL.UNEXPECTED',
  };
}

/** Route parameter that must be a UUID: a bad one is a 400 naming the parameter. */
export function uuidParam(name = 'id') {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new RequestValidationError([
        { field: name, code: 'VALIDATION.IS_UUID', message: `${name} must be a UUID` },
      ]),
  });
}

/** Validates a body the way the global pipe does, for routes that read their body themselves. */
export function validateBody<T extends object>(type: new () => T, body: unknown): T {
  const instance = plainToInstance(type, body ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new RequestValidationError(flatten(errors));
  return instance;
}
