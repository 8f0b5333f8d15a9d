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
          rollbacks: { requestedByPerson: 0, automatic: 0 },
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
          rollbacks: { requestedByPerson: 0, automatic: 0 },
          perDay: [{ day: '2026-11-23', count: 1 }],
        }}
      />,
    );
    expect(await screen.findByLabelText('success rate')).toHaveTextContent('—');
    expect(
      screen.getByText(/No migration has finished yet/),
    ).toBeInTheDocument();
  });

  it('keeps the rollbacks people asked for out of the success rate, and says so', async () => {
    renderInPluginApp(
      <StatsCards
        stats={{
          total: 7,
          byStatus: { completed: 3, failed: 1, rolled_back: 3 },
          // 3 / (3 + 1 + 1): the two rollbacks people asked for are no failures.
          successRate: 0.6,
          rollbacks: { requestedByPerson: 2, automatic: 1 },
          perDay: [{ day: '2026-11-23', count: 7 }],
        }}
      />,
    );
    expect(await screen.findByLabelText('success rate')).toHaveTextContent(
      '60%',
    );
    expect(
      screen.getByText(
        /3 completed of 5 finished \(2 failed or rolled back after a failure\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Not counted: 2 rollbacks people asked for.'),
    ).toBeInTheDocument();
  });
});
