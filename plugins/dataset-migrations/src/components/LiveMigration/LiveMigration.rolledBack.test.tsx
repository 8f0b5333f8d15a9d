import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen } from '@testing-library/react';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { LiveMigration } from './LiveMigration';

/** A migration a person rolled back after cutover: every step that ran is undone. */
const rolledBack: Migration = migration({
  status: 'rolled_back',
  steps: migration().steps.map(s =>
    s.name === 'cleanup'
      ? s
      : {
          ...s,
          status: 'undone' as const,
          attempts: 1,
          progress:
            s.name === 'copy'
              ? { done: 5000, total: 5000, unit: 'rows' }
              : s.progress,
        },
  ),
});

describe('LiveMigration of a rolled-back migration', () => {
  it('reads as rolled back: no highlighted step, no full copy bar, no Retry', async () => {
    renderInPluginApp(
      <LiveMigration id={rolledBack.id} title="Last migration" />,
      {
        api: {
          getMigration: async () => ({ migration: rolledBack }),
          streamEvents: async () => undefined,
        },
      },
    );
    expect(await screen.findByText('rolled back')).toBeInTheDocument();
    // MUI marks the active step's label; none is active once the steps are undone.
    const steps = screen.getByLabelText('steps');
    expect(steps.querySelector('.MuiStepLabel-active')).toBeNull();
    expect(steps.querySelector('.MuiStepIcon-active')).toBeNull();
    expect(screen.getByLabelText('preflight: undone')).toBeInTheDocument();
    // The copied rows went with the new table: no bar claims them.
    expect(
      screen.queryByRole('progressbar', { name: 'copy progress' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        /Copy undone: the 5,000 rows copied went with the new table/,
      ),
    ).toBeInTheDocument();
    // Started again through Migrate, never retried.
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('still highlights the step that runs while a migration goes forward', async () => {
    const running = migration({
      status: 'running',
      steps: migration().steps.map(s => {
        if (s.name === 'preflight')
          return { ...s, status: 'succeeded' as const };
        if (s.name === 'provision') return { ...s, status: 'running' as const };
        return s;
      }),
    });
    renderInPluginApp(<LiveMigration id={running.id} />, {
      api: {
        getMigration: async () => ({ migration: running }),
        streamEvents: () => new Promise(() => {}),
      },
    });
    await screen.findByLabelText('provision: running');
    const active = screen
      .getByLabelText('steps')
      .querySelector('.MuiStepLabel-active');
    expect(active).toHaveTextContent('provision');
    expect(
      screen.getByRole('progressbar', { name: 'copy progress' }),
    ).toBeInTheDocument();
  });
});
