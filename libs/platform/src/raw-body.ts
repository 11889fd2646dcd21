import type { FastifyInstance } from 'fastify';
import { DomainError } from './domain-error';
import { SharedImportErrors } from './errors/shared.errors';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Lets routes read uploads of these media types as the raw request stream (file imports). Idempotent:
 * several modules of one process may ask for the same types.
 */
export function acceptRawBodies(fastify: FastifyInstance, mediaTypes: string[]): void {
  for (const type of mediaTypes) {
    if (fastify.hasContentTypeParser(type)) continue;
    fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
  }
}

/** Reads a raw body (stream or buffer) into memory, refusing more than `limit` bytes. */
export async function readRawBody(body: unknown, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw new DomainError({ error: SharedImportErrors.EMPTY, detail: 'the request has no file in its body' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit)
      throw new DomainError({
        error: SharedImportErrors.TOO_LARGE,
        detail: `the file may have at most ${limit} bytes`,
      });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
