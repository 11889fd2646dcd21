import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { KAFKA_BROKERS, uniquePrefix } from '../support/infra';

/**
 * The Kafka bus with kafkajs's pooled encoder, slicing-by-8 CRC32-C and one-pass produce request in place
 * (decision 0013), against
 * the real broker — which checks every record batch's CRC and refuses a corrupt one. Jest's module
 * registry does not read Node's module cache, so the bus runs in a plain Node process here.
 */
const script = (prefix: string) => `
  const { KafkaBus } = require('./libs/messaging/src/kafka-bus.ts');
  const pino = require('pino');
  (async () => {
    const bus = new KafkaBus({ brokers: ${JSON.stringify(KAFKA_BROKERS.split(','))}, clientId: 'speedups',
      prefix: '${prefix}', logger: pino({ level: 'silent' }) });
    const patched = {
      encoder: require('kafkajs/src/protocol/encoder.js').pooled === true,
      crc: require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js').name === 'crc32c',
      produce: require('kafkajs/src/protocol/requests/produce/v3/request.js').fast === true
        && require('kafkajs/src/protocol/request.js').fast === true
        && require('kafkajs/src/producer/groupMessagesPerPartition.js').fast === true,
    };
    await bus.ensureTopics([{ topic: 'speedups', partitions: 3 }]);
    const sent = Array.from({ length: 3000 }, (_, i) => ({
      topic: 'speedups', key: 'subject-' + (i % 97),
      value: JSON.stringify({ n: i, name: '基准测试企业'.repeat(i % 30), pad: 'x'.repeat(i % 1500) }),
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
    }));
    await bus.publish(sent);
    const got = new Map();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('only ' + got.size + ' records came back')), 60000);
      bus.subscribe({ groupId: 'speedups-check', topics: ['speedups'], handle: async (r) => {
        got.set(JSON.parse(r.value.toString()).n, r);
        if (got.size === sent.length) { clearTimeout(timer); resolve(); }
      } }).catch(reject);
    });
    const same = sent.every((s, i) => got.get(i).value.toString() === s.value && got.get(i).key === s.key
      && got.get(i).headers['content-type'] === s.headers['content-type']);
    await bus.close();
    process.stdout.write(JSON.stringify({ patched, received: got.size, same }));
    process.exit(0);
  })().catch((err) => { console.error(err); process.exit(1); });
`;

describe('kafkajs with the pooled encoder, the fast CRC32-C and the one-pass produce request', () => {
  it('publishes records the broker accepts and that come back byte for byte', () => {
    const out = execFileSync(process.execPath, ['-r', './bench/register.js', '-e', script(uniquePrefix())], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(JSON.parse(out)).toEqual({
      patched: { encoder: true, crc: true, produce: true },
      received: 3000,
      same: true,
    });
  });
});
