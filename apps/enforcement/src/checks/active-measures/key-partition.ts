/** Kafka's partitioner, shared with the gateway that routes a check to its owner (decision 0058). */
export { keyHash, keyPartition } from '@credit/contracts';
