import { DomainError } from '@credit/platform';
import {
  LIST_ENTRY_COMMANDS,
  LIST_ENTRY_STATUSES,
  LIST_ENTRY_TRANSITIONS,
  nextListEntryStatus,
} from './list-entry.state-machine';

describe('list entry state machine', () => {
  it.each([
    ['draft', 'notice', 'noticed'],
    ['noticed', 'publish', 'published'],
    ['noticed', 'end', 'ended'],
    ['published', 'end', 'ended'],
  ] as const)('%s --%s--> %s', (from, command, to) => {
    expect(nextListEntryStatus(from, command)).toBe(to);
  });

  const illegal = LIST_ENTRY_STATUSES.flatMap((from) =>
    LIST_ENTRY_COMMANDS.filter((c) => !LIST_ENTRY_TRANSITIONS[from][c]).map((c) => [from, c] as const),
  );

  it('refuses every other transition', () => {
    expect(illegal).toEqual(
      expect.arrayContaining([
        ['draft', 'publish'],
        ['draft', 'end'],
        ['noticed', 'notice'],
        ['published', 'publish'],
        ['published', 'notice'],
        ['ended', 'end'],
      ]),
    );
  });

  it.each(illegal)('refuses %s --%s with LIST_ENTRY.TRANSITION_NOT_ALLOWED (409)', (from, command) => {
    try {
      nextListEntryStatus(from, command);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('LIST_ENTRY.TRANSITION_NOT_ALLOWED');
      expect((err as DomainError).status).toBe(409);
    }
  });
});
