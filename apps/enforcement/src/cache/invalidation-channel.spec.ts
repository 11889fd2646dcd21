import {
  decodeAnnouncement,
  encodeAnnouncement,
  InProcessInvalidationChannel,
  InvalidationListener,
} from './invalidation-channel';

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

describe('announcements as the channel carries them', () => {
  it('keys alone as the JSON array every replica reads, older builds included', () => {
    expect(encodeAnnouncement(['A', 'B'])).toBe('["A","B"]');
    expect(encodeAnnouncement(['A'], [])).toBe('["A"]');
    expect(decodeAnnouncement('["A","B"]')).toEqual({ keys: ['A', 'B'] });
  });

  it('ended entries with the keys to drop them from under', () => {
    const payload = encodeAnnouncement(['A', 'L-A'], ['E1']);
    expect(decodeAnnouncement(payload)).toEqual({ keys: ['A', 'L-A'], endedEntries: ['E1'] });
  });

  it('refuses anything else (the listener then drops its whole memory)', () => {
    for (const payload of ['{', '{"keys":["A"]}', '[1]', '{"keys":"A","endedEntries":["E"]}', 'null'])
      expect(() => decodeAnnouncement(payload)).toThrow();
  });

  it('reaches every listener with the ended entries', async () => {
    const channel = new InProcessInvalidationChannel();
    const heard: string[] = [];
    channel.listen({ connected: () => undefined, lost: () => undefined, message: (p) => heard.push(p) });
    await channel.announce(['A'], ['E1']);
    expect(decodeAnnouncement(heard[0])).toEqual({ keys: ['A'], endedEntries: ['E1'] });
  });
});
