import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { groupMessagesPerPartition } from './kafkajs-produce';

/**
 * The one-pass produce request and framing write what kafkajs writes: the same framed request bytes for
 * every case below, encoded in a plain Node process with kafkajs's own modules and in one with ours
 * installed (Jest's module registry does not read Node's module cache). Date.now is fixed in both, since
 * a batch without timestamps takes the time of encoding.
 */
const script = (install: boolean) => `
  Date.now = () => 1764000000000;
  const installed = ${install} ? (() => {
    const { installPooledEncoder } = require('./libs/messaging/src/kafkajs-encoder.ts');
    const { installFastCrc32C } = require('./libs/messaging/src/kafkajs-crc32c.ts');
    const { installFastProduce } = require('./libs/messaging/src/kafkajs-produce.ts');
    return [installPooledEncoder(), installFastCrc32C(), installFastProduce(), installFastProduce()];
  })() : [];
  const { protocol } = require('kafkajs/src/protocol/requests/produce');
  const frame = require('kafkajs/src/protocol/request.js');
  const Long = require('kafkajs/src/utils/long.js');
  const { createHash } = require('node:crypto');

  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (list) => list[Math.floor(random() * list.length)];
  // sizes around the varint boundaries (63/64, 127/128, 8191/8192 …)
  const sizes = [0, 1, 63, 64, 65, 127, 128, 129, 1385, 8191, 8192, 8193, 70000];
  const text = (n) => '基准测试企业abc'.repeat(Math.ceil(n / 9)).slice(0, n);
  const value = () => pick([() => text(pick(sizes)), () => Buffer.alloc(pick(sizes), 7), () => null, () => undefined])();
  const message = (i, timestamps) => ({
    key: pick(['subject-' + i, '91330106MA2H7QK45E', '', null, undefined, Buffer.from('k' + i)]),
    value: value(),
    headers: pick([undefined, {}, { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      { a: ['1', '二'], b: Buffer.from('bytes'), 'ключ': 'значение' }]),
    ...(timestamps === 'numbers' ? { timestamp: 1764000000000 - Math.floor(random() * 1e9) + i }
      : timestamps === 'strings' ? { timestamp: String(1764000000000 + i * 1000) }
      : timestamps === 'some' && i % 2 ? { timestamp: 1763999999000 + i } : {}),
  });
  const partitions = (count, messages, timestamps) => Array.from({ length: count }, (_, p) => ({
    partition: p, ...(p % 2 ? { firstSequence: 17 * p } : {}),
    messages: Array.from({ length: messages }, (_, i) => message(i, timestamps)),
  }));
  const cases = [
    { acks: -1, timeout: 30000, compression: 0, topicData: [{ topic: 'credit.assignments', partitions: partitions(3, 300, 'none') }] },
    { acks: 1, timeout: 5000, topicData: [{ topic: 'a', partitions: partitions(1, 70, 'numbers') }, { topic: '主题', partitions: partitions(2, 5, 'strings') }] },
    { acks: -1, timeout: 30000, transactionalId: 'tx-1', producerId: Long.fromValue(123456789012), producerEpoch: 3,
      topicData: [{ topic: 't', partitions: partitions(2, 40, 'some') }] },
    { acks: 0, timeout: 1, transactionalId: '', topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [] }] }] },
    { acks: -1, timeout: 30000, topicData: [] },
    // kafkajs's own encoder (GZIP), and a value kafkajs cannot encode: same outcome both ways
    { acks: -1, timeout: 30000, compression: 1, topicData: [{ topic: 'gz', partitions: partitions(1, 20, 'numbers') }] },
    { acks: -1, timeout: 30000, topicData: [{ topic: 'bad', partitions: [{ partition: 0, messages: [{ key: 'k', value: 12 }] }] }] },
  ];
  for (let n = 0; n < 40; n += 1) {
    cases.push({ acks: -1, timeout: 30000, topicData: Array.from({ length: 1 + (n % 3) }, (_, t) => ({
      topic: 'topic-' + t, partitions: partitions(1 + (n % 4), 1 + Math.floor(random() * 150), pick(['none', 'numbers', 'some'])) })) });
  }
  (async () => {
    const out = [];
    for (const [i, args] of cases.entries()) {
      const version = pick([3, 5, 7]);
      try {
        const { request } = protocol({ version })(args);
        const framed = await frame({ correlationId: 1000 + i, clientId: pick(['trigger', null, '客户端']), request });
        const bytes = framed.buffer;
        out.push(bytes.length + ':' + createHash('sha1').update(bytes).digest('hex'));
      } catch (err) {
        out.push('error: ' + err.message);
      }
    }
    const grouped = require('kafkajs/src/producer/groupMessagesPerPartition.js').fast === true;
    process.stdout.write(JSON.stringify({ installed, grouped, out }));
  })();
`;

function encode(install: boolean) {
  const out = execFileSync(process.execPath, ['-r', './bench/register.js', '-e', script(install)], {
    cwd: resolve(__dirname, '../../..'),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out) as { installed: string[]; grouped: boolean; out: string[] };
}

describe('the one-pass kafkajs produce request', () => {
  it('frames the same bytes as kafkajs for every case, and leaves what it does not write to kafkajs', () => {
    const stock = encode(false);
    const fast = encode(true);
    expect(fast.installed).toEqual(['installed', 'installed', 'installed', 'already']);
    expect(fast.grouped).toBe(true);
    expect(fast.out).toHaveLength(47);
    expect(fast.out).toEqual(stock.out);
    expect(stock.out[6]).toMatch(/^error: /); // the numeric value, refused the same way
    expect(stock.out.filter((o) => o.startsWith('error')).length).toBe(1);
  });
});

describe('grouping a send by partition', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const stock =
    require('kafkajs/src/producer/groupMessagesPerPartition.js') as typeof groupMessagesPerPartition;
  /* eslint-enable @typescript-eslint/no-require-imports */

  it('gives what kafkajs gives: each partition its messages in order, nothing without metadata', () => {
    const messages = Array.from({ length: 700 }, (_, i) => ({ key: `k${i % 41}`, value: String(i) }));
    const partitioner = ({ message }: { message: { key: string } }) => Number(message.key.slice(1)) % 3;
    const args = { topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner };
    expect(groupMessagesPerPartition(args)).toEqual(stock(args));
    expect(Object.keys(groupMessagesPerPartition(args))).toEqual(['0', '1', '2']);
    expect(groupMessagesPerPartition({ ...args, partitionMetadata: [] })).toEqual({});
  });
});
