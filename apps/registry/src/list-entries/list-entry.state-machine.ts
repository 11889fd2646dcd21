import { DomainError } from '@credit/platform';
import { ListEntryErrors } from './list-entry.errors';

/** Life of a list entry (DOMAIN.md): draft → noticed → published → ended. */
export const LIST_ENTRY_STATUSES = ['draft', 'noticed', 'published', 'ended'] as const;
export type ListEntryStatus = (typeof LIST_ENTRY_STATUSES)[number];

export const LIST_ENTRY_COMMANDS = ['notice', 'publish', 'end'] as const;
export type ListEntryCommand = (typeof LIST_ENTRY_COMMANDS)[number];

/**
 * The table of allowed transitions. A noticed entry may still be ended (the subject's statement showed
 * the decision wrong: revoked/corrected) without ever being published.
 */
export const LIST_ENTRY_TRANSITIONS: Readonly<
  Record<ListEntryStatus, Readonly<Partial<Record<ListEntryCommand, ListEntryStatus>>>>
> = {
  draft: { notice: 'noticed' },
  noticed: { publish: 'published', end: 'ended' },
  published: { end: 'ended' },
  ended: {},
};

export function nextListEntryStatus(from: ListEntryStatus, command: ListEntryCommand): ListEntryStatus {
  const to = LIST_ENTRY_TRANSITIONS[from][command];
  if (!to) {
    throw new DomainError({
      error: ListEntryErrors.TRANSITION_NOT_ALLOWED,
      detail: `cannot ${command} a list entry that is ${from} (该名单条目当前状态不允许此操作)`,
      extra: { currentStatus: from, command },
    });
  }
  return to;
}
