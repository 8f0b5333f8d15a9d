import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { renderRolloutPage } from '../../__testUtils__/renderRolloutPage';
import {
  agents,
  rollout,
  rolloutDetail,
} from '../../__testUtils__/rolloutFixtures';
import { RolloutsListPage } from './RolloutsListPage';

// usePermission caches the admin decision for the whole test file: the pages as a
// non-administrator sees them are tested here, apart.
describe('Rollouts for someone who is not an administrator', () => {
  it('lists the agents and rollouts without "Start rollout"', async () => {
    renderInPluginApp(<RolloutsListPage />, {
      authorize: AuthorizeResult.DENY,
      rollouts: {
        listAgents: async () => ({ items: agents() }),
        listRollouts: async () => ({ items: [rollout()] }),
      },
    });
    expect(await screen.findByText('1.4.0 → 1.3.0')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'agents' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Start rollout' }),
    ).not.toBeInTheDocument();
  });

  it('shows the rollout, its numbers and its decisions, but no Abort', async () => {
    const abortRollout = jest.fn();
    renderRolloutPage({
      authorize: AuthorizeResult.DENY,
      rollouts: {
        getRollout: async () => ({ rollout: rolloutDetail() }),
        abortRollout,
      },
    });
    expect(await screen.findByLabelText('rollout status')).toHaveTextContent(
      'active',
    );
    expect(
      screen.getByRole('table', { name: 'gate numbers' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'decision history' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Abort rollout' }),
    ).not.toBeInTheDocument();
    expect(abortRollout).not.toHaveBeenCalled();
  });
});
