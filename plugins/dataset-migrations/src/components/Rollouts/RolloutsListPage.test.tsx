import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import {
  agents,
  ROLLOUT_ID,
  rollout,
} from '../../__testUtils__/rolloutFixtures';
import { RolloutsListPage } from './RolloutsListPage';

describe('RolloutsListPage for an administrator', () => {
  it('lists the agents with their stable version, and each rollout linked to its page', async () => {
    renderInPluginApp(<RolloutsListPage />, {
      rollouts: {
        listAgents: async () => ({ items: agents() }),
        listRollouts: async () => ({
          items: [
            rollout(),
            rollout({
              id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
              candidateVersion: '1.2.0',
              stableVersion: '1.1.0',
              status: 'aborted',
              step: 0,
              share: 0,
            }),
          ],
        }),
      },
    });
    const agentsTable = await screen.findByRole('table', { name: 'agents' });
    const sql = within(agentsTable).getByRole('row', { name: /^sql/ });
    expect(sql).toHaveTextContent('sql1.3.01.3.0 (stable)1.4.01.5.0-beta');

    const link = (await screen.findAllByRole('link', { name: 'sql' }))[0];
    expect(link).toHaveAttribute(
      'href',
      `/dataset-migrations/rollouts/${ROLLOUT_ID}`,
    );
    const active = link.closest('tr')!;
    expect(active).toHaveTextContent('1.4.0 → 1.3.0');
    expect(active).toHaveTextContent('active');
    expect(active).toHaveTextContent('step 2 of 4');
    expect(active).toHaveTextContent('25 %');
    expect(within(active).getByRole('link', { name: 'admin' })).toHaveAttribute(
      'href',
      '/catalog/default/user/admin',
    );
    const aborted = screen.getByText('1.2.0 → 1.1.0').closest('tr')!;
    expect(aborted).toHaveTextContent('aborted');
    expect(aborted).toHaveTextContent('step 1 of 4');
    expect(aborted).toHaveTextContent('0 %');
  });

  it('offers "Start rollout", which opens the dialog with the registered agents', async () => {
    renderInPluginApp(<RolloutsListPage />, {
      rollouts: {
        listAgents: async () => ({ items: agents() }),
        listRollouts: async () => ({ items: [] }),
      },
    });
    expect(
      await screen.findByText(/No rollout yet/, undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    const start = await screen.findByRole('button', { name: 'Start rollout' });
    await userEvent.click(start);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('option', { name: 'consumer' }),
    ).toBeInTheDocument();
  });

  it('says why the rollouts could not be loaded', async () => {
    renderInPluginApp(<RolloutsListPage />, {
      rollouts: {
        listAgents: async () => ({ items: agents() }),
        listRollouts: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    });
    expect(
      await screen.findByText(
        'Could not load the rollouts: connect ECONNREFUSED. Check that the dataset-migrations backend is running, then reload.',
      ),
    ).toBeInTheDocument();
  });
});
