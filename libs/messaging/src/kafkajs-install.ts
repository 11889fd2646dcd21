import { installFastCrc32C } from './kafkajs-crc32c';
import { installPooledEncoder } from './kafkajs-encoder';
import { installFastProduce } from './kafkajs-produce';

/**
 * Imported by kafka-bus.ts before kafkajs, so that kafkajs's modules get these when they first load
 * (decision 0013): the pooled encoder, the slicing-by-8 CRC-32C, and the one-pass produce request and
 * request framing (which take the encoder and, for what they leave to kafkajs, the CRC from the module
 * cache: in this order). In a process that loaded kafkajs itself before (a benchmark's raw kafkajs
 * baseline), nothing changes: the results say 'too-late'.
 */
export const pooledEncoder = installPooledEncoder();
export const fastCrc32C = installFastCrc32C();
export const fastProduce = installFastProduce();
