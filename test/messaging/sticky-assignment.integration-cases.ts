import { KafkaBus, Subscription, TopicAssignment } from '@credit/messaging';
import { createKafkaBus, uniquePrefix, waitFor } from '../support/infra';

/**
 * The sticky assignment on the real broker (libs/messaging/src/sticky-assigner.ts): the check index's
 * group (decision 0058) moves only what balance needs when a replica joins or leaves, since every
 * partition moved is a reload of its rows from PostgreSQL.
 */
describe('KafkaBus: a sticky group keeps its partitions across rebalances', () => {
  const TOPIC = 'credit.assignments';
  const prefix = uniquePrefix();
  const buses: KafkaBus[] = [];
  const held = new Map<string, number[]>();
  const subscriptions = new Map<string, Subscription>();

  const join = async (name: string) => {
    const bus = createKafkaBus(prefix, `sticky-${name}`);
    buses.push(bus);
    if (buses.length === 1) await bus.ensureTopics([{ topic: TOPIC, partitions: 6 }]);
    subscriptions.set(
      name,
      await bus.subscribe({
        groupId: 'sticky-index',
        topics: [TOPIC],
        handle: () => Promise.resolve(),
        sticky: true,
        onAssigned: (assignment: TopicAssignment[]) =>
          held.set(name, assignment.find((a) => a.topic === TOPIC)?.owned ?? []),
      }),
    );
  };
  /** every member's last assignment covers the six partitions once */
  const settled = (names: string[]) => {
    const all = names.flatMap((n) => held.get(n) ?? []).sort((a, b) => a - b);
    return all.length === 6 && all.every((p, i) => p === i);
  };

  afterAll(async () => {
    for (const bus of buses) await bus.close().catch(() => undefined);
  });

  it('a third member takes two partitions, the first two keep the rest; one leaving gives away its own', async () => {
    await join('a');
    await join('b');
    await waitFor(() => settled(['a', 'b']) && held.get('a')!.length === 3, {
      timeoutMs: 60_000,
      message: 'two members hold three partitions each',
    });
    const before = { a: held.get('a')!, b: held.get('b')! };

    await join('c');
    await waitFor(() => settled(['a', 'b', 'c']) && held.get('c')!.length === 2, {
      timeoutMs: 60_000,
      message: 'three members hold two partitions each',
    });
    expect(held.get('a')!.length).toBe(2);
    expect(held.get('b')!.length).toBe(2);
    // nothing moved between the first two: each kept two of its own three
    expect(before.a).toEqual(expect.arrayContaining(held.get('a')!));
    expect(before.b).toEqual(expect.arrayContaining(held.get('b')!));
    const middle = { a: held.get('a')!, c: held.get('c')! };

    await subscriptions.get('b')!.stop();
    held.delete('b');
    await waitFor(() => settled(['a', 'c']) && held.get('a')!.length === 3, {
      timeoutMs: 60_000,
      message: 'the two left hold three each',
    });
    expect(held.get('a')).toEqual(expect.arrayContaining(middle.a));
    expect(held.get('c')).toEqual(expect.arrayContaining(middle.c));
  }, 200_000);
});
