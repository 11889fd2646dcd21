const utf8 = new TextEncoder();

/**
 * The Kafka partition of a key, computed as kafkajs's default partitioner (the Java client's) does:
 * murmur2 of the key's UTF-8 bytes, made positive, modulo the topic's partition count. The check's index
 * is split by it, so that a replica holds the subjects of the partitions its consumer owns, and anyone
 * who routes a check (the gateway, decision 0058; a test, a bench) finds the same owner from the
 * identifier alone.
 * The same function in SQL (`enforcement.key_hash`, migration 1768600000000) stores each binding row's.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** murmur2 (32-bit, seed 0x9747b28c), made positive (`& 0x7fffffff`), of the key's UTF-8 bytes. */
export function keyHash(key: string): number {
  const data = utf8.encode(key);
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2] << 16;
  if (tail >= 2) h ^= data[whole + 1] << 8;
  if (tail >= 1) h = Math.imul(h ^ data[whole], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h & 0x7fffffff;
}

/** The partition a record keyed by `key` goes to on a topic of `partitions` partitions. */
export function keyPartition(key: string, partitions: number): number {
  return keyHash(key) % partitions;
}
