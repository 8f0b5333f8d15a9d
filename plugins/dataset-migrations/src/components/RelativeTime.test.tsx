import { render, screen } from '@testing-library/react';
import { formatRelativeTime, RelativeTime } from './RelativeTime';

describe('RelativeTime', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it.each([
    ['2026-03-10T11:59:58Z', '2 seconds ago'],
    ['2026-03-10T11:55:00Z', '5 minutes ago'],
    ['2026-03-10T09:30:00Z', '2 hours ago'],
    ['2026-03-09T11:00:00Z', 'yesterday'],
    ['2026-02-20T12:00:00Z', '2 weeks ago'],
    ['2026-03-10T12:00:00Z', 'now'],
    ['2026-03-10T14:00:00Z', 'in 2 hours'],
  ])('reads %s as "%s"', (at, expected) => {
    expect(formatRelativeTime(new Date(at), now)).toBe(expected);
  });

  it('shows the exact time on hover and in datetime', () => {
    render(<RelativeTime at="2020-01-02T03:04:05Z" />);
    const time = screen.getByText(/years? ago$/);
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('datetime', '2020-01-02T03:04:05Z');
    expect(time.getAttribute('title')).toMatch(/^Jan 2, 2020, \d+:04:05/);
  });
});
