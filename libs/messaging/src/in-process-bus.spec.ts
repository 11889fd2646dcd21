import { Partitioners } from 'kafkajs';
import { IncomingRecord } from './message-bus';
import { InProcessBus, MessageBusError } from './in-process-bus';

/** The in-process bus's internals; the guarantees it shares with Kafka are in test/messaging/bus-contract.ts. */
describe('InProcessBus', () => {
  const buses: InProcessBus[] = [];
  const newBus = (options: ConstructorParameters<typeof InProcessBus>[0] = {}) => {
    const bus = new InProcessBus({ retryDelayMs: 5, ...options });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });

  const until = async (condition: () => boolean, message: string) => {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('puts a key on the partition kafkajs’s default partitioner (murmur2) picks', async () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const keys = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      '91350100M000100Y43',
      '110101199003077777',
      '统一社会信用代码',
      ...Array.from({ length: 300 }, (_, i) => `subject-${i * 7919}`),
    ];
    for (const partitions of [1, 3, 6, 12]) {
      const bus = newBus();
      await bus.ensureTopics([{ topic: 't', partitions }]);
      const seen: IncomingRecord[] = [];
      await bus.subscribe({ groupId: 'g', topics: ['t'], handle: async (r) => void seen.push(r) });
      await bus.publish(keys.map((key) => ({ topic: 't', key, value: key })));
      await until(() => seen.length === keys.length, 'every record');
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      }));
      for (const r of seen) {
        const expected = partitioner({
          topic: 't',
          partitionMetadata,
          message: { key: r.key, value: null },
        });
        expect([r.key, r.partition]).toEqual([r.key, expected]);
      }
    }
  });

  it('refuses unknown topics and use after close, with a code', async () => {
    const bus = newBus();
    await expect(bus.publish([{ topic: 'nowhere', key: 'k', value: 'v' }])).rejects.toMatchObject({
      code: 'MESSAGE.UNKNOWN_TOPIC',
    });
    await expect(
      bus.subscribe({ groupId: 'g', topics: ['nowhere'], handle: async () => undefined }),
    ).rejects.toBeInstanceOf(MessageBusError);
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    // all or nothing: one unknown topic in a call writes none of it
    await expect(
      bus.publish([
        { topic: 't', key: 'k', value: 'v' },
        { topic: 'nowhere', key: 'k', value: 'v' },
      ]),
    ).rejects.toMatchObject({ code: 'MESSAGE.UNKNOWN_TOPIC' });
    expect(bus.retainedRecords('t')).toBe(0);
    await bus.close();
    await expect(bus.publish([{ topic: 't', key: 'k', value: 'v' }])).rejects.toMatchObject({
      code: 'MESSAGE.BUS_CLOSED',
    });
    await expect(bus.ping()).rejects.toMatchObject({ code: 'MESSAGE.BUS_CLOSED' });
  });

  it('gives every topic the configured partition count, and keeps an existing topic as it is', async () => {
    const bus = newBus({ partitions: 2 });
    await bus.ensureTopics([{ topic: 't', partitions: 12 }]);
    await bus.ensureTopics([{ topic: 't', partitions: 5 }]);
    const partitions = new Set<number>();
    await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async (r) => void partitions.add(r.partition),
    });
    await bus.publish(Array.from({ length: 50 }, (_, i) => ({ topic: 't', key: `k${i}`, value: 'v' })));
    await until(() => partitions.size === 2, 'both partitions');
    expect([...partitions].sort()).toEqual([0, 1]);
  });

  it('keeps records a subscribed group still needs, and drops consumed ones after the retention', async () => {
    const bus = newBus({ retainMs: 1000 });
    await bus.ensureTopics([
      { topic: 't', partitions: 1 },
      { topic: 'unread', partitions: 1 },
    ]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handled: string[] = [];
    const slow = await bus.subscribe({
      groupId: 'slow',
      topics: ['t'],
      handle: async (r) => {
        await gate;
        handled.push(r.offset);
      },
    });
    const fast: string[] = [];
    await bus.subscribe({ groupId: 'fast', topics: ['t'], handle: async (r) => void fast.push(r.offset) });
    await bus.publish(['a', 'b', 'c'].map((value) => ({ topic: 't', key: 'k', value })));
    await bus.publish([{ topic: 'unread', key: 'k', value: 'x' }]);
    await until(() => fast.length === 3, 'the fast group');

    // a topic nobody reads keeps its records for the retention only
    bus.trim(Date.now());
    expect(bus.retainedRecords('unread')).toBe(1);
    // long after the retention: the slow group has consumed nothing, so everything stays
    bus.trim(Date.now() + 60_000);
    expect(bus.retainedRecords('t')).toBe(3);
    expect(bus.retainedRecords('unread')).toBe(0);

    release();
    await until(() => handled.length === 3, 'the slow group');
    bus.trim(Date.now()); // consumed by both, but within the retention: kept for a late group
    expect(bus.retainedRecords('t')).toBe(3);
    const late: string[] = [];
    const lateSub = await bus.subscribe({
      groupId: 'late',
      topics: ['t'],
      handle: async (r) => void late.push(r.value!.toString()),
    });
    await until(() => late.length === 3, 'the late group');
    expect(late).toEqual(['a', 'b', 'c']);
    bus.trim(Date.now() + 60_000);
    expect(bus.retainedRecords('t')).toBe(0);

    // a stopped group no longer holds records back; when it returns it goes on from the oldest kept
    await slow.stop();
    await lateSub.stop();
    await bus.publish([{ topic: 't', key: 'k', value: 'd' }]);
    await until(() => fast.length === 4, 'the fast group read d');
    bus.trim(Date.now() + 60_000);
    expect(bus.retainedRecords('t')).toBe(0);
    await bus.publish([{ topic: 't', key: 'k', value: 'e' }]);
    const resumed: string[] = [];
    await bus.subscribe({
      groupId: 'late',
      topics: ['t'],
      handle: async (r) => void resumed.push(`${r.offset}:${r.value!.toString()}`),
    });
    await until(() => resumed.length === 1, 'the resumed group');
    expect(resumed).toEqual(['4:e']);
  });

  it('moves a leaving member’s partitions to the others without two deliveries of one partition at once', async () => {
    const bus = newBus();
    await bus.ensureTopics([{ topic: 't', partitions: 4 }]);
    const busy = new Set<number>();
    let overlaps = 0;
    const byMember: Record<string, string[]> = { a: [], b: [] };
    const handler = (name: string) => async (r: IncomingRecord) => {
      if (busy.has(r.partition)) overlaps += 1;
      busy.add(r.partition);
      await new Promise((resolve) => setTimeout(resolve, 1));
      busy.delete(r.partition);
      byMember[name].push(`${r.partition}:${r.offset}`);
    };
    const a = await bus.subscribe({ groupId: 'g', topics: ['t'], handle: handler('a'), concurrency: 4 });
    const b = await bus.subscribe({ groupId: 'g', topics: ['t'], handle: handler('b'), concurrency: 4 });
    const records = Array.from({ length: 200 }, (_, i) => ({ topic: 't', key: `k${i % 13}`, value: `${i}` }));
    await bus.publish(records.slice(0, 100));
    await until(() => byMember.b.length > 10, 'member b at work');
    await b.stop();
    const bAtStop = byMember.b.length;
    await bus.publish(records.slice(100));
    await until(() => byMember.a.length + byMember.b.length === 200, 'every record');
    await a.stop();
    expect(byMember.b.length).toBe(bAtStop);
    expect(overlaps).toBe(0);
    const all = [...byMember.a, ...byMember.b];
    expect(new Set(all).size).toBe(200); // none twice
  });

  it('handles up to `concurrency` partitions of a member at once', async () => {
    const bus = newBus();
    await bus.ensureTopics([{ topic: 't', partitions: 6 }]);
    let inFlight = 0;
    let most = 0;
    let handled = 0;
    await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      concurrency: 2,
      handle: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        handled += 1;
      },
    });
    await bus.publish(Array.from({ length: 60 }, (_, i) => ({ topic: 't', key: `k${i}`, value: 'v' })));
    await until(() => handled === 60, 'every record');
    expect(most).toBe(2);
  });

  it('stops the retries of a failing handler when the subscription stops', async () => {
    const bus = newBus();
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    let calls = 0;
    const sub = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async () => {
        calls += 1;
        throw new Error('always');
      },
    });
    await bus.publish([{ topic: 't', key: 'k', value: 'v' }]);
    await until(() => calls >= 3, 'a few attempts');
    await sub.stop();
    const atStop = calls;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(atStop);
  });
});
