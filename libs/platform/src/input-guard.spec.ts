import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { mintToken, Public } from '@credit/auth';
import { createHttpApp } from './http-app';
import { controlCharacterFields, MAX_JSON_DEPTH, scanJson } from './input-guard';
import { PlatformModule } from './platform.module';

const SECRET = 'unit-secret-0123456789abcdef';

class SubjectDto {
  @IsString()
  id!: string;
}

class CheckLikeDto {
  @ValidateNested()
  @Type(() => SubjectDto)
  subject!: SubjectDto;

  @IsOptional()
  @IsString()
  detail?: string;
}

@Controller('t')
class ProbeController {
  @Public()
  @Post('dto')
  @HttpCode(200)
  dto(@Body() body: CheckLikeDto) {
    return body;
  }

  @Public()
  @Post('raw')
  @HttpCode(200)
  raw(@Body() body: unknown) {
    return { body };
  }

  @Public()
  @Get('things/:code')
  thing(@Param('code') code: string, @Query('dept') dept?: string) {
    return { code, dept };
  }
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('scanJson (the linear scan before parsing)', () => {
  it('tells JSON nested deeper than the limit, brackets inside strings not counted', () => {
    expect(scanJson(deep(MAX_JSON_DEPTH)).tooDeep).toBe(false);
    expect(scanJson(deep(MAX_JSON_DEPTH + 1)).tooDeep).toBe(true);
    expect(scanJson(`{"a":"${'['.repeat(100)}"}`).tooDeep).toBe(false);
    expect(scanJson(`{"a":"\\"${'['.repeat(100)}"}`).tooDeep).toBe(false); // an escaped quote, then brackets
    expect(scanJson(`[${'{"a":1},'.repeat(100)}{"a":1}]`).tooDeep).toBe(false); // many, side by side
    expect(scanJson(`{"x":"\\n","a":${deep(MAX_JSON_DEPTH)}}`).tooDeep).toBe(true);
  });

  it('stops one level past the limit, however deep the text goes', () => {
    expect(scanJson(deep(100_000)).tooDeep).toBe(true);
  });

  it.each([
    ['\\u0000', true],
    ['\\u001F', true],
    ['\\u0020', false],
    ['\\u00e9', false],
    ['\\n', true],
    ['\\t', true],
    ['\\b', true],
    ['\\f', true],
    ['\\"', false],
    ['\\\\u0000', false], // an escaped backslash, then the text u0000
    ['\\ud83d\\ude00', true], // a surrogate pair: worth a walk (which accepts it)
    ['\\u4e2d', false],
  ])('tells whether a string may hold a control character or a surrogate: %s → %s', (escape, flagged) => {
    expect(scanJson(`{"k":"a${escape}b"}`).suspicious).toBe(flagged);
  });
});

describe('controlCharacterFields (the walk naming the fields)', () => {
  it('names values and keys by their path; tab, LF and CR are free text in values only', () => {
    const value = JSON.parse(
      '{"subject":{"id":"x\\u0000"},"detail":"line\\nline\\ttab\\r","list":[{"id":"ok"},{"id":"\\u0007"}],"k\\ney":1}',
    );
    expect(controlCharacterFields(value).map((e) => [e.field, e.code])).toEqual([
      ['subject.id', 'INPUT.CONTROL_CHARACTER'],
      ['list.1.id', 'INPUT.CONTROL_CHARACTER'],
      ['k\\u000aey', 'INPUT.CONTROL_CHARACTER'],
    ]);
  });

  it('refuses a lone surrogate and accepts a pair', () => {
    expect(controlCharacterFields(JSON.parse('{"a":"\\ud83d\\ude00"}'))).toEqual([]);
    expect(controlCharacterFields(JSON.parse('{"a":"x\\ud83d"}')).map((e) => e.field)).toEqual(['a']);
  });

  it('names at most 20 fields', () => {
    expect(controlCharacterFields(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});

describe('the input guard in the HTTP app (every service and the embedded mode)', () => {
  let app: NestFastifyApplication;
  let fastify: FastifyInstance;
  // a token of the bootstrap department: the auth hook runs before the guard (decision 0019)
  let authorization = '';

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    app = await createHttpApp(
      {
        module: class ProbeModule {},
        imports: [
          PlatformModule.forRoot({
            logger,
            auth: { jwtSecret: SECRET },
            quotas: {
              options: {
                windowMs: 60_000,
                syncMs: 1_000,
                keyPrefix: 'spec:',
                limits: { checks: {}, lookups: {}, exports: {}, public: {} },
              },
            },
          }),
        ],
        controllers: [ProbeController],
      },
      { title: 'probe', logger, shutdownHooks: false },
    );
    await app.init();
    authorization = `Bearer ${await mintToken({ sub: 'probe', dept: 'CREDIT_OFFICE', roles: ['admin'] }, SECRET)}`;
    fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    // a route Fastify serves directly, as the check's fast path is
    fastify.post('/fast', (request, reply) => reply.send({ body: request.body }));
    await fastify.ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload: string, contentType = 'application/json') =>
    fastify.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, authorization } });

  it.each(['/t/dto', '/t/raw', '/fast'])(
    'refuses a NUL in a body value with 400 problem+json naming the field (%s)',
    async (url) => {
      const res = await post(url, '{"subject":{"id":"91\\u0000X"}}');

      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        status: 400,
        code: 'INPUT.CONTROL_CHARACTER',
        errors: [{ field: 'subject.id', code: 'INPUT.CONTROL_CHARACTER' }],
      });
    },
  );

  it('accepts tab and line breaks in free text, and answers as before', async () => {
    const res = await post('/t/dto', '{"subject":{"id":"a"},"detail":"one\\ntwo\\tthree\\r"}');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ subject: { id: 'a' }, detail: 'one\ntwo\tthree\r' });
  });

  it.each([
    ['/t/raw', 100_000],
    ['/t/dto', 100_000],
    ['/fast', MAX_JSON_DEPTH], // and the object around it: one level too many
  ])('refuses JSON nested deeper than the limit with INPUT.TOO_DEEP (%s, %d levels)', async (url, levels) => {
    const res = await post(url, `{"a":${deep(levels)}}`);

    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INPUT.TOO_DEEP', errors: [{ field: 'body' }] });
  });

  it('accepts the deepest allowed nesting', async () => {
    const res = await post('/t/raw', deep(MAX_JSON_DEPTH));

    expect(res.statusCode).toBe(200);
  });

  it.each(['/t/raw', '/t/dto', '/fast'])(
    'answers malformed, empty and prototype-polluting JSON with 400 INPUT.MALFORMED_JSON, quoting nothing (%s)',
    async (url) => {
      for (const payload of ['{"id":"330102199001011234"', '', '{"__proto__":{"x":1}}', '{"a":1}x']) {
        const res = await post(url, payload);
        expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({
          code: 'INPUT.MALFORMED_JSON',
          errors: [{ field: 'body', code: 'INPUT.MALFORMED_JSON' }],
        });
        expect(res.body).not.toContain('330102199001011234');
      }
    },
  );

  it('answers an unknown path 404 HTTP.NOT_FOUND before authentication, with or without a token', async () => {
    for (const headers of [{}, { authorization }, { authorization: 'Bearer forged' }]) {
      const res = await fastify.inject({ method: 'GET', url: '/v1/no-such-route', headers });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND' });
    }
    // a known path still needs a token: 401 without one
    const known = await fastify.inject({ method: 'POST', url: '/t/raw', payload: '{}' });
    expect(known.statusCode).toBe(401);
  });

  it('refuses a control character in a path parameter or a query value, naming it', async () => {
    const param = await fastify.inject({
      method: 'GET',
      url: '/t/things/AB%00C',
      headers: { authorization },
    });
    const query = await fastify.inject({
      method: 'GET',
      url: '/t/things/ABC?dept=PO%01LICE',
      headers: { authorization },
    });
    const tab = await fastify.inject({
      method: 'GET',
      url: '/t/things/ABC?dept=PO%09LICE',
      headers: { authorization },
    });

    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({
      code: 'INPUT.CONTROL_CHARACTER',
      errors: [{ field: 'params.code', code: 'INPUT.CONTROL_CHARACTER' }],
    });
    expect(query.json()).toMatchObject({ status: 400, errors: [{ field: 'query.dept' }] });
    expect(tab.json()).toMatchObject({ status: 400, errors: [{ field: 'query.dept' }] });
    expect(
      (
        await fastify.inject({ method: 'GET', url: '/t/things/ABC?dept=POLICE', headers: { authorization } })
      ).json(),
    ).toEqual({
      code: 'ABC',
      dept: 'POLICE',
    });
  });

  it('refuses a control character in a plain-text body', async () => {
    const res = await post('/t/raw', 'a\u0000b', 'text/plain');

    expect(res.json()).toMatchObject({ status: 400, errors: [{ field: 'body' }] });
  });
});
