import { render, screen } from '@testing-library/react';
import { DeadlineTag } from '../components/common';
import { deadlineState } from './deadline';

// 2026-03-10 10:00 Beijing = 02:00 UTC
const NOW = new Date('2026-03-10T02:00:00Z');

describe('deadlineState', () => {
  it.each([
    ['past and not done', '2026-03-09T15:59:59Z', false, 'overdue'],
    ['later today, Beijing time', '2026-03-10T15:00:00Z', false, 'today'],
    // 23:30 UTC on the 10th is already the 11th in Beijing: tomorrow, not today
    ['tomorrow in Beijing though today in UTC', '2026-03-10T23:30:00Z', false, 'soon'],
    ['within three days', '2026-03-13T01:00:00Z', false, 'soon'],
    ['further away', '2026-03-20T02:00:00Z', false, 'ok'],
    ['past but done', '2026-03-01T00:00:00Z', true, 'done'],
  ])('%s → %s', (_why, deadline, done, expected) => {
    expect(deadlineState(deadline, done, NOW)).toBe(expected);
  });

  it('has nothing to highlight without a deadline', () => {
    expect(deadlineState(null, false, NOW)).toBe('none');
  });
});

describe('DeadlineTag', () => {
  it('shows an overdue deadline in red with its Beijing time', () => {
    render(<DeadlineTag deadline="2026-03-09T08:00:00Z" done={false} now={NOW} />);
    expect(screen.getByText('2026-03-09 16:00')).toBeTruthy();
    const tag = screen.getByText('已逾期');
    expect(tag.getAttribute('data-deadline')).toBe('overdue');
    expect(tag.style.backgroundColor).toBe('rgb(168, 7, 26)');
  });

  it('does not highlight a task already done', () => {
    render(<DeadlineTag deadline="2026-03-09T08:00:00Z" done now={NOW} />);
    expect(screen.getByText('已完成').getAttribute('data-deadline')).toBe('done');
  });
});
