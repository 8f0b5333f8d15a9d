import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { StatsCards } from './StatsCards';

describe('StatsCards', () => {
  it('shows counts by status, the success rate and a bar per day', async () => {
    await renderInTestApp(
      <StatsCards
        stats={{
          total: 5,
          byStatus: { completed: 3, failed: 1, running: 1 },
          successRate: 0.75,
          perDay: [
            { day: '2026-11-22', count: 2 },
            { day: '2026-11-23', count: 3 },
          ],
        }}
      />,
    );
    expect(screen.getByLabelText('success rate')).toHaveTextContent('75%');
    expect(screen.getByLabelText('counts by status')).toHaveTextContent(
      'completed: 3',
    );
    expect(
      screen
        .getByRole('img', { name: 'migrations per day' })
        .querySelectorAll('rect'),
    ).toHaveLength(2);
  });
});
