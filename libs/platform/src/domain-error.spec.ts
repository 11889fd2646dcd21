import { Writable } from 'node:stream';
import pino from 'pino';
import { defineErrors } from '@credit/contracts';
import { DomainError } from './domain-error';

const Errors = defineErrors({
  FAILED: { code: 'TEST.FAILED', status: 500, message: 'the test failed' },
});

describe('DomainError', () => {
  it('carries its catalogue entry, code and status', () => {
    const err = new DomainError({ error: Errors.FAILED, detail: 'why', field: 'x' });
    expect(err.error).toBe(Errors.FAILED);
    expect({ code: err.code, status: err.status, message: err.message, field: err.field }).toEqual({
      code: 'TEST.FAILED',
      status: 500,
      message: 'why',
      field: 'x',
    });
  });

  // the frozen catalogue entry has a `message`: pino's serializer took it for a nested error and threw
  // while tagging it, so the problem-details filter's log of a 5xx failed and the answer became INTERNAL
  it('is logged by pino without touching its frozen catalogue entry', () => {
    const lines: string[] = [];
    const logger = pino(
      { serializers: { err: pino.stdSerializers.err } },
      new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
    );
    expect(() => logger.error({ err: new DomainError({ error: Errors.FAILED }) }, 'failed')).not.toThrow();
    expect(JSON.parse(lines[0]).err).toMatchObject({ code: 'TEST.FAILED', status: 500 });
  });
});
