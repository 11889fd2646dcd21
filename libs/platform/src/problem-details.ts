import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  Injectable,
  ParseUUIDPipe,
  Logger,
  Optional,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { flattenValidationErrors } from '@credit/contracts';
import { DomainError, ErrorSpec } from './domain-error';
import { HttpErrors, HttpOtherErrors, PlatformErrors } from './errors/platform.errors';
import { fieldCode, ValidationErrors } from './errors/validation.errors';
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

/** class-validator's tree as the field list of a 400 (`VALIDATION.<RULE>` per broken rule). */
export function fieldErrors(errors: ValidationError[]): FieldError[] {
  return flattenValidationErrors(errors).map(({ field, constraint, message }) => ({
    field,
    code: fieldCode(constraint),
    message,
  }));
}

/** One global pipe: transform to DTO classes, strip unknown properties, report every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new RequestValidationError(fieldErrors(errors)),
  });
}

const HTTP_BY_STATUS: ReadonlyMap<number, ErrorSpec> = new Map(
  Object.values(HttpErrors).map((e) => [e.status, e]),
);

function codeFromStatus(status: number): string {
  return HTTP_BY_STATUS.get(status)?.code ?? HttpOtherErrors.ERROR.code;
}

/**
 * Database constraints that stand for a domain rule (e.g. an exclusion constraint backing a check that
 * two racing requests can both pass): constraint name → the catalogue entry the application would have
 * raised itself. Each service declares its table in one file (`<service>.constraint-errors.ts`) and its
 * module loads it at start; a process hosting several services holds them all (decision 0053).
 */
export type ConstraintErrorTable = Readonly<Record<string, ErrorSpec>>;

@Injectable()
export class ConstraintErrors {
  private readonly byName = new Map<string, ErrorSpec>();

  load(table: ConstraintErrorTable): void {
    for (const [constraint, error] of Object.entries(table)) {
      const known = this.byName.get(constraint);
      if (known && known !== error) throw new Error(`constraint ${constraint} maps to ${known.code} already`);
      this.byName.set(constraint, error);
    }
  }

  find(constraint: unknown): ErrorSpec | undefined {
    return typeof constraint === 'string' ? this.byName.get(constraint) : undefined;
  }
}

/** Every error leaves as application/problem+json with a stable code and the correlation id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(@Optional() private readonly constraints: ConstraintErrors = new ConstraintErrors()) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
      this.constraints,
    );
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
  constraints?: ConstraintErrors,
): FastifyReply {
  const problem = toProblem(exception, constraints);
  problem.instance = request.url;
  problem.correlationId = String(request.id);
  if (problem.status >= 500) {
    logger.error({ err: exception, correlationId: request.id }, 'unhandled error');
  }
  if (exception instanceof QuotaExceededError) void reply.header('retry-after', exception.retryAfterSeconds);
  return reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
}

function toProblem(exception: unknown, constraints?: ConstraintErrors): ProblemDetails {
  if (exception instanceof RequestValidationError) {
    return {
      type: 'about:blank',
      title: TITLES[400],
      status: 400,
      detail: `invalid fields: ${[...new Set(exception.errors.map((e) => e.field))].join(', ')}`,
      code: PlatformErrors.VALIDATION_FAILED.code,
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
  const mapped = constraints?.find(constraint);
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
      code: statusCode === 400 ? PlatformErrors.REQUEST_MALFORMED.code : codeFromStatus(statusCode),
    };
  }
  return {
    type: 'about:blank',
    title: TITLES[500],
    status: 500,
    detail: PlatformErrors.INTERNAL_UNEXPECTED.message,
    code: PlatformErrors.INTERNAL_UNEXPECTED.code,
  };
}

/** Route parameter that must be a UUID: a bad one is a 400 naming the parameter. */
export function uuidParam(name = 'id') {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new RequestValidationError([
        { field: name, code: ValidationErrors.IS_UUID.code, message: `${name} must be a UUID` },
      ]),
  });
}

/** Validates a body the way the global pipe does, for routes that read their body themselves. */
export function validateBody<T extends object>(type: new () => T, body: unknown): T {
  const instance = plainToInstance(type, body ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new RequestValidationError(fieldErrors(errors));
  return instance;
}
