import { screen } from '@testing-library/react';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { viewportMatches } from '../../__testUtils__/viewport';
import { MigrationStepper } from './MigrationStepper';

const timed = migration({
  steps: migration().steps.map(s => {
    if (s.name === 'preflight') {
      return {
        ...s,
        status: 'succeeded' as const,
        attempts: 1,
        startedAt: '2026-11-23T10:00:00.000Z',
        finishedAt: '2026-11-23T10:00:04.000Z',
      };
    }
    if (s.name === 'provision') {
      return {
        ...s,
        status: 'succeeded' as const,
        attempts: 2,
        startedAt: '2026-11-23T10:00:04.000Z',
        finishedAt: '2026-11-23T10:30:04.000Z',
      };
    }
    return s;
  }),
});

describe('MigrationStepper', () => {
  let restore = () => {};
  afterEach(() => restore());

  it('shows how long each finished step took, with its attempts', async () => {
    restore = viewportMatches(false);
    renderInPluginApp(<MigrationStepper migration={timed} />);
    expect(
      await screen.findByLabelText('preflight: succeeded · 4 s'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('provision: succeeded · 30 min · attempt 2'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('copy: pending')).toBeInTheDocument();
    expect(screen.getByLabelText('steps')).toHaveClass('MuiStepper-horizontal');
  });

  it('runs down the card on a narrow screen', async () => {
    restore = viewportMatches(true);
    renderInPluginApp(<MigrationStepper migration={timed} />);
    expect(await screen.findByLabelText('steps')).toHaveClass(
      'MuiStepper-vertical',
    );
  });
});
