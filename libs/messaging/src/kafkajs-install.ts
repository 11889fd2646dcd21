import { installPooledEncoder } from './kafkajs-encoder';

/**
 * Imported by kafka-bus.ts before kafkajs, so that kafkajs's modules get the pooled encoder when they
 * first load (decision 0013). In a process that loaded kafkajs itself before (a benchmark's raw kafkajs
 * baseline), nothing changes: the result says 'too-late'.
 */
export const pooledEncoder = installPooledEncoder();
