import Module from 'node:module';

/**
 * CRC32-C (Castagnoli) by slicing-by-8: eight table look-ups per 8 bytes instead of one per byte.
 * kafkajs 2.2.4 checksums every record batch it produces with a byte-at-a-time JS loop (~6 % of the
 * trigger's CPU in a fan-out); this computes the same checksums about 3–4× faster. Same results as
 * kafkajs's own implementation (tested on random buffers in kafkajs-crc32c.spec.ts).
 */
const POLYNOMIAL = 0x82f63b78; // reflected Castagnoli polynomial
const TABLES = new Int32Array(8 * 256);
for (let n = 0; n < 256; n += 1) {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
  TABLES[n] = c;
}
for (let n = 0; n < 256; n += 1) {
  let c = TABLES[n];
  for (let t = 1; t < 8; t += 1) {
    c = TABLES[c & 0xff] ^ (c >>> 8);
    TABLES[t * 256 + n] = c;
  }
}

/** The unsigned CRC32-C of `buffer`, as kafkajs's `crc32C.js` returns it. */
export function crc32c(buffer: Uint8Array): number {
  const t = TABLES;
  const length = buffer.length;
  let crc = -1;
  let i = 0;
  for (const end = length - (length & 7); i < end; i += 8) {
    const a = crc ^ (buffer[i] | (buffer[i + 1] << 8) | (buffer[i + 2] << 16) | (buffer[i + 3] << 24));
    const b = buffer[i + 4] | (buffer[i + 5] << 8) | (buffer[i + 6] << 16) | (buffer[i + 7] << 24);
    crc =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + (b & 0xff)] ^
      t[512 + ((b >>> 8) & 0xff)] ^
      t[256 + ((b >>> 16) & 0xff)] ^
      t[b >>> 24];
  }
  for (; i < length; i += 1) crc = t[(crc ^ buffer[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** kafkajs's byte-at-a-time implementation: the module its record batch encoder requires. */
export const KAFKAJS_CRC32C_MODULE = 'kafkajs/src/protocol/recordBatch/crc32C/crc32C.js';

/**
 * Puts `crc32c` in Node's module cache under the path of kafkajs's own implementation, so that kafkajs's
 * record batch encoder (which requires it when it first loads, lazily, at the first produce) gets this
 * one. Nothing else of kafkajs changes. Returns 'too-late' (and changes nothing) when kafkajs already
 * loaded its own — its encoder holds that function from then on. Jest's module registry does not read
 * Node's cache: under Jest kafkajs keeps its own implementation (same checksums).
 */
export function installFastCrc32C(): 'installed' | 'already' | 'too-late' {
  const path = require.resolve(KAFKAJS_CRC32C_MODULE);
  const cached = require.cache[path];
  if (cached) return cached.exports === crc32c ? 'already' : 'too-late';
  const replacement = new Module(path);
  replacement.filename = path;
  replacement.loaded = true;
  replacement.exports = crc32c;
  require.cache[path] = replacement;
  return 'installed';
}
