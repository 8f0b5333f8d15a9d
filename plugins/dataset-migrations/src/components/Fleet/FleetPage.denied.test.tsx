import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { FleetPage } from './FleetPage';

describe('FleetPage for someone who is not an administrator', () => {
  it('explains who can see the fleet and never asks for the fleet', async () => {
    const getFleet = jest.fn();
    renderInPluginApp(<FleetPage />, {
      authorize: AuthorizeResult.DENY,
      api: { getFleet },
    });
    expect(
      await screen.findByText(/Only fleet administrators can see the fleet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/needs the dataset-migrations.admin permission/),
    ).toBeInTheDocument();
    expect(getFleet).not.toHaveBeenCalled();
  });
});
