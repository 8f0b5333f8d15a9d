import { screen, within } from '@testing-library/react';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { StatsCards } from './StatsCards';

describe('StatsCards', () => {
  it('shows counts by status, the success rate and a bar per day', async () => {
    renderInPluginApp(
      <StatsCards
        stats={{
          total: 5,
          byStatus: { completed: 3, failed: 1, running: 1 },
          successRate: 0.75,
          perDay: [
            { day: '2026-11-20', count: 2 },
            { day: '2026-11-23', count: 3 },
          ],
        }}
      />,
    );
    expect(await screen.findByLabelText('total migrations')).toHaveTextContent(
      '5',
    );
    expect(screen.getByLabelText('success rate')).toHaveTextContent('75%');
    expect(screen.getByText(/3 completed of 4 finished/)).toBeInTheDocument();
    const counts = within(
      screen.getByRole('list', { name: 'counts by status' }),
    );
    expect(
      counts.getByRole('listitem', { name: 'running: 1' }),
    ).toHaveTextContent('1 (20%)');
    expect(
      counts.getByRole('listitem', { name: 'completed: 3' }),
    ).toHaveTextContent('3 (60%)');
    expect(
      counts.getByRole('listitem', { name: 'failed: 1' }),
    ).toBeInTheDocument();
    // Four days from the first to the last, the two quiet ones as zero bars.
    const chart = screen.getByRole('img', { name: 'migrations per day' });
    expect(chart.querySelectorAll('rect')).toHaveLength(4);
    expect(chart.querySelectorAll('title')[1]).toHaveTextContent(
      '2026-11-21: 0 migrations',
    );
  });

  it('explains a missing success rate', async () => {
    renderInPluginApp(
      <StatsCards
        stats={{
          total: 1,
          byStatus: { running: 1 },
          successRate: null,
          perDay: [{ day: '2026-11-23', count: 1 }],
        }}
      />,
    );
    expect(await screen.findByLabelText('success rate')).toHaveTextContent('—');
    expect(
      screen.getByText(/No migration has finished yet/),
    ).toBeInTheDocument();
  });
});
