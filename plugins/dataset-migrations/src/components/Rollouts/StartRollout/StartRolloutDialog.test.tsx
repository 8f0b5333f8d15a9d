import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInPluginApp } from '../../../__testUtils__/renderInPluginApp';
import { agents, rollout } from '../../../__testUtils__/rolloutFixtures';
import { StartRolloutDialog } from './StartRolloutDialog';

function renderDialog(createRollout: jest.Mock, onStarted = jest.fn()) {
  renderInPluginApp(
    <StartRolloutDialog
      open
      agents={agents()}
      onClose={jest.fn()}
      onStarted={onStarted}
    />,
    { rollouts: { createRollout } },
  );
  return onStarted;
}

const select = (label: RegExp) => screen.getByRole('combobox', { name: label });
const field = (label: RegExp) => screen.getByRole('textbox', { name: label });
const numberField = (label: RegExp) =>
  screen.getByRole('spinbutton', { name: label });
const retype = async (element: HTMLElement, text: string) => {
  await userEvent.clear(element);
  await userEvent.type(element, text);
};

describe('StartRolloutDialog', () => {
  it('offers the versions of the chosen agent except its stable one', async () => {
    renderDialog(jest.fn());
    await userEvent.selectOptions(select(/Agent/), 'sql');
    const versions = Array.from(
      (select(/Candidate version/) as HTMLSelectElement).options,
    ).map(o => o.value);
    expect(versions).toEqual(['', '1.4.0', '1.5.0-beta']);
    expect(select(/Candidate version/)).toHaveValue('1.4.0');
    expect(screen.getByText('Stable today: 1.3.0')).toBeInTheDocument();
  });

  it('names each invalid field and asks nothing of the backend', async () => {
    const createRollout = jest.fn();
    renderDialog(createRollout);
    await retype(field(/Steps/), '5, 50, 25');
    await retype(numberField(/Min per step/), '0');
    await retype(numberField(/Bake time/), '-1');
    await retype(numberField(/Failure rate margin/), '150');
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(
      screen.getByText('Agent is required: choose the agent to roll out.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Candidate version is required: choose a registered version other than the stable one.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Steps must rise, each above the one before, e.g. 5, 25, 50, 100.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Min per step must be a whole number from 1 to 100000.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Bake time must be a whole number from 0 to 2592000.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Failure rate margin must be a percentage between 0 and 100.',
      ),
    ).toBeInTheDocument();
    expect(field(/Steps/)).toHaveAttribute('aria-invalid', 'true');
    expect(createRollout).not.toHaveBeenCalled();

    // Fixing a field takes its error away at once.
    await retype(field(/Steps/), '5, 25, 50');
    expect(screen.queryByText(/Steps must rise/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(
      screen.getByText(
        'Steps must end at 100: the candidate becomes stable there.',
      ),
    ).toBeInTheDocument();
    expect(createRollout).not.toHaveBeenCalled();
  });

  it('sends the request with percentages as shares, and hands back the rollout', async () => {
    const started = rollout();
    const createRollout = jest.fn(async () => ({ rollout: started }));
    const onStarted = renderDialog(createRollout);
    await userEvent.selectOptions(select(/Agent/), 'sql');
    await userEvent.selectOptions(select(/Candidate version/), '1.5.0-beta');
    await retype(field(/Steps/), '10, 50, 100');
    await retype(numberField(/Min per step/), '30');
    await retype(numberField(/Bake time/), '120');
    await retype(numberField(/Failure rate margin/), '2.5');
    await retype(numberField(/Rollback rate margin/), '1');
    await retype(numberField(/Verify mismatch margin/), '0');
    await retype(numberField(/Minimum throughput share/), '90');
    await userEvent.click(screen.getByRole('radio', { name: 'Roll back' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(createRollout).toHaveBeenCalledWith({
      agentId: 'sql',
      candidateVersion: '1.5.0-beta',
      steps: [10, 50, 100],
      minPerStep: 30,
      bakeSeconds: 120,
      gates: {
        maxFailureRateMargin: 0.025,
        maxRollbackRateMargin: 0.01,
        maxVerifyMismatchMargin: 0,
        minThroughputShare: 0.9,
      },
      onAbort: 'rollback',
    });
    expect(onStarted).toHaveBeenCalledWith(started);
  });

  it("shows the backend's reason when it refuses", async () => {
    const createRollout = jest.fn(async () => {
      throw new Error('Agent sql already has an active rollout');
    });
    renderDialog(createRollout);
    await userEvent.selectOptions(select(/Agent/), 'sql');
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not start the rollout: Agent sql already has an active rollout',
    );
  });
});
