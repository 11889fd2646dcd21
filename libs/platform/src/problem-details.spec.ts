import {
  ArgumentsHost,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { defineErrors, DomainError } from './domain-error';
import {
  ConstraintErrors,
  createValidationPipe,
  ProblemDetails,
  ProblemDetailsFilter,
  RequestValidationError,
} from './problem-details';

interface FakeReply {
  statusCode?: number;
  headers: Record<string, string>;
  body?: ProblemDetails;
  status(code: number): FakeReply;
  header(name: string, value: string): FakeReply;
  send(body: ProblemDetails): FakeReply;
}

/** Runs the filter on one exception with fake fastify request/reply objects; returns what was sent. */
function render(exception: unknown, constraints?: ConstraintErrors) {
  const request = { url: '/v1/list-entries/42', id: 'corr-123' };
  const reply: FakeReply = {
    headers: {},
    status(code) {
      this.statusCode = code;
      return this;
    },
    header(name, value) {
      this.headers[name.toLowerCase()] = value;
      return this;
    },
    send(body) {
      this.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter(constraints).catch(exception, host);
  return { status: reply.statusCode, contentType: reply.headers['content-type'], body: reply.body! };
}

const Errors = defineErrors({
  NOT_OWNER: { code: 'LIST_ENTRY.NOT_OWNER', status: 403, message: 'only the owner may' },
  INVALID_USCC: { code: 'SUBJECT.INVALID_USCC', status: 422, message: 'not a credit code' },
  ALREADY_PUBLISHED: { code: 'LIST_ENTRY.ALREADY_PUBLISHED', status: 409, message: 'published' },
  OVERLAPPING: { code: 'LIST_ENTRY.OVERLAPPING', status: 409, message: 'the periods overlap' },
});

describe('ProblemDetailsFilter', () => {
  let loggedErrors: jest.SpyInstance;

  beforeEach(() => {
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    loggedErrors.mockRestore();
  });

  it('turns a domain error into problem details with its code, status and the correlation id', () => {
    const res = render(
      new DomainError({ error: Errors.NOT_OWNER, detail: 'only the owning department may do this' }),
    );

    expect(res.status).toBe(403);
    expect(res.contentType).toBe('application/problem+json');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'only the owning department may do this',
      code: 'LIST_ENTRY.NOT_OWNER',
      instance: '/v1/list-entries/42',
      correlationId: 'corr-123',
    });
    expect(loggedErrors).not.toHaveBeenCalled();
  });

  it("answers with the catalogue entry's message when the thrower gives no detail", () => {
    const res = render(new DomainError({ error: Errors.NOT_OWNER }));

    expect(res.body).toMatchObject({
      status: 403,
      code: 'LIST_ENTRY.NOT_OWNER',
      detail: 'only the owner may',
    });
    expect(res.body.errors).toBeUndefined();
  });

  it('answers a violated constraint with the error its table maps it to, and only a loaded table', () => {
    const violation = Object.assign(new Error('conflicting key value violates exclusion constraint'), {
      driverError: { constraint: 'list_entries_no_overlap' },
    });
    const constraints = new ConstraintErrors();
    constraints.load({ list_entries_no_overlap: Errors.OVERLAPPING });

    expect(render(violation, constraints).body).toMatchObject({
      status: 409,
      code: 'LIST_ENTRY.OVERLAPPING',
      detail: 'the periods overlap',
    });
    expect(render(violation).body).toMatchObject({ status: 500, code: 'INTERNAL.UNEXPECTED' });
    expect(() => constraints.load({ list_entries_no_overlap: Errors.NOT_OWNER })).toThrow(/maps to/);
  });

  it('lists the field of a domain error that names one', () => {
    const res = render(
      new DomainError({ error: Errors.INVALID_USCC, detail: 'not a valid credit code', field: 'subject.id' }),
    );

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SUBJECT.INVALID_USCC');
    expect(res.body.errors).toEqual([
      { field: 'subject.id', code: 'SUBJECT.INVALID_USCC', message: 'not a valid credit code' },
    ]);
  });

  it('adds extension members without letting them replace the standard ones', () => {
    const res = render(
      new DomainError({
        error: Errors.ALREADY_PUBLISHED,
        detail: 'already published',
        extra: { currentStatus: 'published', status: 200, code: 'OVERRIDDEN' },
      }),
    );

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      status: 409,
      code: 'LIST_ENTRY.ALREADY_PUBLISHED',
      currentStatus: 'published',
    });
  });

  it('reports a validation failure as VALIDATION.FAILED with every field error', () => {
    const errors = [
      { field: 'subject.id', code: 'VALIDATION.MIN_LENGTH', message: 'subject.id must not be empty' },
      { field: 'subject.id', code: 'VALIDATION.IS_STRING', message: 'subject.id must be a string' },
      { field: 'period.to', code: 'VALIDATION.IS_ISO8601', message: 'period.to must be a date' },
    ];
    const res = render(new RequestValidationError(errors));

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      title: 'Bad Request',
      code: 'VALIDATION.FAILED',
      detail: 'invalid fields: subject.id, period.to',
      errors,
      correlationId: 'corr-123',
    });
  });

  it('takes code and detail from an HttpException body', () => {
    const res = render(
      new UnauthorizedException({ code: 'AUTH.TOKEN_MISSING', detail: 'a bearer token is required' }),
    );

    expect(res.status).toBe(401);
    expect(res.contentType).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      title: 'Unauthorized',
      status: 401,
      code: 'AUTH.TOKEN_MISSING',
      detail: 'a bearer token is required',
    });
  });

  it('derives a code from the status of an HttpException without one', () => {
    expect(render(new NotFoundException()).body).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND' });
    expect(render(new ForbiddenException('no')).body).toMatchObject({
      status: 403,
      code: 'HTTP.FORBIDDEN',
      detail: 'no',
    });
    expect(render(new HttpException('slow down', 429)).body).toMatchObject({
      status: 429,
      code: 'HTTP.TOO_MANY_REQUESTS',
      detail: 'slow down',
    });
  });

  it("maps fastify's own client errors by their statusCode", () => {
    const badJson = Object.assign(new Error('Unexpected token } in JSON'), { statusCode: 400 });
    const mediaType = Object.assign(new Error('Unsupported Media Type: text/plain'), { statusCode: 415 });

    expect(render(badJson).body).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED' });
    expect(render(mediaType).body).toMatchObject({ status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each([
    ['an Error', new Error('connection string postgres://secret@db leaked')],
    ['a thrown string', 'boom'],
    ['null', null],
    ['an error claiming a 5xx statusCode', Object.assign(new Error('upstream'), { statusCode: 502 })],
  ])('answers %s with 500 INTERNAL.UNEXPECTED, hides its message and logs it', (_name, exception) => {
    const res = render(exception);

    expect(res.status).toBe(500);
    expect(res.contentType).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL.UNEXPECTED',
      correlationId: 'corr-123',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|boom|upstream/);
    expect(loggedErrors).toHaveBeenCalledWith(
      expect.objectContaining({ err: exception, correlationId: 'corr-123' }),
      'unhandled error',
    );
  });
});

class PeriodDto {
  @IsString() from!: string;
}

class CreateThingDto {
  @IsInt() @Min(1) count!: number;
  @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
}

describe('createValidationPipe', () => {
  it('reports nested and unknown fields with dotted paths and VALIDATION.* codes', async () => {
    const pipe = createValidationPipe();
    let error: unknown;
    try {
      await pipe.transform(
        { count: 0, period: { from: 7 }, extra: true },
        { type: 'body', metatype: CreateThingDto },
      );
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(RequestValidationError);
    const fields = (error as RequestValidationError).errors.map((e) => [e.field, e.code]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['count', 'VALIDATION.MIN'],
        ['period.from', 'VALIDATION.IS_STRING'],
        ['extra', 'VALIDATION.WHITELIST_VALIDATION'],
      ]),
    );
  });
});
