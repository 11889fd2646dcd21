import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { crc32c, KAFKAJS_CRC32C_MODULE } from './kafkajs-crc32c';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsCrc32C = require(KAFKAJS_CRC32C_MODULE) as (buffer: Buffer) => number;

describe('crc32c (slicing-by-8)', () => {
  it('gives kafkajs’s checksums on random buffers of every length up to 64 and larger ones', () => {
    for (let length = 0; length <= 64; length += 1) {
      const buffer = randomBytes(length);
      expect(crc32c(buffer)).toBe(kafkajsCrc32C(buffer));
    }
    for (let n = 0; n < 200; n += 1) {
      const buffer = randomBytes(1 + Math.floor(Math.random() * 300_000));
      expect(crc32c(buffer)).toBe(kafkajsCrc32C(buffer));
    }
  });

  it('gives the standard check value and works on a view into a larger buffer', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283); // CRC-32C check value
    const whole = randomBytes(10_000);
    const view = whole.subarray(13, 9_001);
    expect(crc32c(view)).toBe(kafkajsCrc32C(view));
  });

  it('is the function kafkajs’s record batch encoder uses once installed before kafkajs produces', () => {
    // a plain Node process (Jest's module registry does not read Node's module cache)
    const script = `
      const { installFastCrc32C, crc32c } = require('./libs/messaging/src/kafkajs-crc32c.ts');
      const first = installFastCrc32C();
      const again = installFastCrc32C();
      const used = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') === crc32c;
      const batchCrc = require('kafkajs/src/protocol/recordBatch/crc32C');
      const b = Buffer.from('123456789');
      process.stdout.write(JSON.stringify({ first, again, used, value: batchCrc(b) }));
    `;
    const root = resolve(__dirname, '../../..');
    const out = execFileSync(process.execPath, ['-r', './bench/register.js', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ first: 'installed', again: 'already', used: true, value: 0xe3069283 });
  });
});
