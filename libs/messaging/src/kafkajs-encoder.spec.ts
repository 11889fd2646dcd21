import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The pooled encoder changes where kafkajs's buffers come from, never what is written: a produce request
 * (three partitions, records with keys, two-byte text and headers) encodes to the same bytes as with
 * kafkajs's own encoder. Plain Node processes: Jest's module registry does not read Node's module cache.
 */
const script = (install: boolean) => `
  const { installPooledEncoder } = require('./libs/messaging/src/kafkajs-encoder.ts');
  const installed = ${install} ? [installPooledEncoder(), installPooledEncoder()] : [];
  const produce = require('kafkajs/src/protocol/requests/produce/v3/request');
  const Encoder = require('kafkajs/src/protocol/encoder.js');
  const { createHash, randomBytes } = require('node:crypto');
  const seed = Buffer.from('${Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256)).toString('hex')}', 'hex');
  const messages = (p) => Array.from({ length: 300 }, (_, i) => ({
    key: 'k' + p + '-' + i,
    value: i % 3 === 0 ? Buffer.concat([seed, Buffer.alloc(i * 7, i)]) : '基准测试企业'.repeat(i % 40) + i,
    headers: { 'content-type': 'application/cloudevents+json; charset=utf-8', n: String(i) },
    timestamp: 1700000000000 + i,
  }));
  produce({ acks: -1, timeout: 30000, compression: 0, topicData: [0, 1, 2].map((partition) => ({
    topic: 'test.topic', partitions: [{ partition, firstSequence: 0, messages: messages(partition) }] })) })
    .encode()
    .then((request) => {
      const bytes = request.buffer;
      process.stdout.write(JSON.stringify({ installed, pooled: Encoder.pooled === true, length: bytes.length,
        sha1: createHash('sha1').update(bytes).digest('hex') }));
    });
`;

function encode(install: boolean) {
  const out = execFileSync(process.execPath, ['-r', './bench/register.js', '-e', script(install)], {
    cwd: resolve(__dirname, '../../..'),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { installed: string[]; pooled: boolean; length: number; sha1: string };
}

describe('the pooled kafkajs encoder', () => {
  it('encodes a produce request to the same bytes as kafkajs’s own encoder', () => {
    const stock = encode(false);
    const pooled = encode(true);
    expect(stock.pooled).toBe(false);
    expect(pooled).toMatchObject({ installed: ['installed', 'already'], pooled: true });
    expect(pooled.length).toBeGreaterThan(300_000);
    expect(pooled.length).toBe(stock.length);
    expect(pooled.sha1).toBe(stock.sha1);
  });
});
