import { InProcessInvalidationChannel, InvalidationListener } from './invalidation-channel';

describe('InProcessInvalidationChannel (the embedded mode)', () => {
  const listener = () => {
    const heard: string[] = [];
    const events: string[] = [];
    const l: InvalidationListener = {
      connected: () => events.push('connected'),
      lost: () => events.push('lost'),
      message: (payload) => heard.push(payload),
    };
    return { l, heard, events };
  };

  it('is connected from the start and never lost', () => {
    const channel = new InProcessInvalidationChannel();
    const one = listener();
    channel.listen(one.l);
    expect(one.events).toEqual(['connected']);
  });

  it('tells every listener, the announcing one included, which keys to drop', async () => {
    const channel = new InProcessInvalidationChannel();
    const one = listener();
    const two = listener();
    channel.listen(one.l);
    channel.listen(two.l);
    await channel.announce(['91330106MA2H7QK4XQ', 'MA2H7QK4-X']);
    expect(JSON.parse(one.heard[0])).toEqual(['91330106MA2H7QK4XQ', 'MA2H7QK4-X']);
    expect(two.heard).toEqual(one.heard);
  });
});
