import { screen } from '@testing-library/react';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
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

/** The viewport as `useMediaQuery` sees it: jsdom has no `matchMedia` of its own. */
function viewportMatches(matches: boolean) {
  window.matchMedia = ((media: string) => ({
    matches,
    media,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
}

describe('MigrationStepper', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it('shows how long each finished step took, with its attempts', async () => {
    viewportMatches(false);
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
    viewportMatches(true);
    renderInPluginApp(<MigrationStepper migration={timed} />);
    expect(await screen.findByLabelText('steps')).toHaveClass(
      'MuiStepper-vertical',
    );
  });
});
