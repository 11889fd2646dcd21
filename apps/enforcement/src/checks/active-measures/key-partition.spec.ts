import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { keyHash, keyPartition } from './key-partition';

describe('keyPartition', () => {
  it('agrees with kafkajs’s default partitioner for every key length and partition count', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const keys = ['', 'a', 'ab', 'abc', '91330106MA2GXXXX1X', '张三', '330106199001011234'];
    for (let i = 0; i < 500; i += 1) keys.push(randomBytes(1 + (i % 40)).toString('base64'));
    for (const partitions of [1, 3, 12, 64]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
        partitionErrorCode: 0,
        offlineReplicas: [],
      }));
      for (const key of keys) {
        const expected = partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
        expect(keyPartition(key, partitions)).toBe(expected);
      }
    }
  });

  it('is positive', () => {
    for (let i = 0; i < 1000; i += 1) expect(keyHash(`k${i}`)).toBeGreaterThanOrEqual(0);
  });
});
