import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { FleetPage } from './FleetPage';

describe('FleetPage for someone who is not an administrator', () => {
  it('explains who can see the fleet and never asks for the workers', async () => {
    const listWorkers = jest.fn();
    renderInPluginApp(<FleetPage />, {
      authorize: AuthorizeResult.DENY,
      api: { listWorkers },
    });
    expect(
      await screen.findByText(/Only fleet administrators can see the fleet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/needs the dataset-migrations.admin permission/),
    ).toBeInTheDocument();
    expect(listWorkers).not.toHaveBeenCalled();
  });
});
