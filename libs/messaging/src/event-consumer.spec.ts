import pino from 'pino';
import type { DataSource } from 'typeorm';
import { EventConsumer } from './event-consumer';
import { MessageBus, IncomingRecord, OutgoingRecord } from './message-bus';
import { EVENT_TYPE_HEADER } from './outbox';

/** A record whose value is not JSON: reading it would dead-letter it. */
const unreadable = (type?: string): IncomingRecord => ({
  topic: 'credit.feedback',
  partition: 0,
  offset: '7',
  key: 'K',
  value: Buffer.from('not json'),
  headers: type ? { [EVENT_TYPE_HEADER]: type } : {},
});

function consumerWith(handlers: Record<string, () => Promise<void>>) {
  const published: OutgoingRecord[] = [];
  const bus = { publish: (records: OutgoingRecord[]) => (published.push(...records), Promise.resolve()) };
  const consumer = new EventConsumer(
    { name: 'test.consumer', topics: ['credit.feedback'], handlers },
    {
      schema: 'test',
      dataSource: undefined as unknown as DataSource, // never reached: nothing here is applied
      bus: bus as unknown as MessageBus,
      logger: pino({ level: 'silent' }),
    },
  );
  return { consumer, published };
}

describe('EventConsumer and the event-type header (decision 0057)', () => {
  const handler = () => Promise.resolve();

  it('skips a record of a type it has no handler for without reading it', async () => {
    const { consumer, published } = consumerWith({ 'credit.feedback.enforced.v1': handler });
    expect(await consumer.handle(unreadable('credit.check.hit.v1'))).toBe('ignored');
    expect(published).toEqual([]);
  });

  it('reads a record of a type it handles, and one without the header', async () => {
    const { consumer, published } = consumerWith({ 'credit.check.hit.v1': handler });
    expect(await consumer.handle(unreadable('credit.check.hit.v1'))).toBe('dead_lettered');
    expect(await consumer.handle(unreadable())).toBe('dead_lettered');
    expect(published).toHaveLength(2);
  });

  it('reads every record when it handles every type (an audit consumer)', async () => {
    const { consumer } = consumerWith({ '*': handler });
    expect(await consumer.handle(unreadable('credit.check.hit.v1'))).toBe('dead_lettered');
  });
});
