/**
 * kafkajs 2.2.4 encodes every record into its own `Encoder`, which starts with `Buffer.alloc(512)` and
 * grows by `Buffer.alloc(2 × size)` + copy: three zero-filled, separately allocated ArrayBuffers per
 * 1.4 kB record (record, grown record, header) before the batch and request encoders copy them again.
 * Every byte of an encoder's buffer up to its offset is written before it is read (each write advances
 * the offset by what it wrote; `buffer` returns the written part only), so neither the zero filling nor
 * a fresh ArrayBuffer is needed: this takes the same buffers from Node's pool (`Buffer.allocUnsafe`;
 * below 4 kB a slice of a shared 8 kB block). Bytes on the wire are identical (kafkajs-encoder.spec.ts).
 *
 * Installed by replacing the encoder module's export in Node's module cache before kafkajs first loads
 * it (kafka-bus.ts imports this before kafkajs): a constructor with the class's own prototype and statics,
 * and the pooled `ensureAvailable`. If kafkajs was loaded first (a process that imported it itself), or
 * under Jest (its own module registry), nothing changes.
 */
export const KAFKAJS_ENCODER_MODULE = 'kafkajs/src/protocol/encoder.js';

interface EncoderInstance {
  buf: Buffer;
  offset: number;
}

interface EncoderClass {
  new (initialSize?: number): EncoderInstance;
  nextPowerOfTwo(value: number): number;
  prototype: EncoderInstance & { ensureAvailable(length: number): void };
  pooled?: boolean;
}

export function installPooledEncoder(): 'installed' | 'already' | 'too-late' | 'unavailable' {
  const path = require.resolve(KAFKAJS_ENCODER_MODULE);
  const cached = require.cache[path];
  if (cached) return (cached.exports as EncoderClass).pooled ? 'already' : 'too-late';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Encoder = require(path) as EncoderClass;
  const entry = require.cache[path];
  if (!entry || entry.exports !== Encoder) return 'unavailable';

  function PooledEncoder(this: EncoderInstance, initialSize = 511) {
    this.buf = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize));
    this.offset = 0;
  }
  PooledEncoder.prototype = Encoder.prototype;
  Object.setPrototypeOf(PooledEncoder, Encoder); // the static helpers (sizeOfVarInt, …)
  (PooledEncoder as unknown as EncoderClass).pooled = true;
  Encoder.prototype.ensureAvailable = function ensureAvailable(this: EncoderInstance, length: number) {
    if (this.offset + length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }
  };
  entry.exports = PooledEncoder;
  return 'installed';
}
