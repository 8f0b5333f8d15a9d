import type { CampaignDryRun } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { campaign } from '../../../__testUtils__/campaignFixtures';
import { renderInPluginApp } from '../../../__testUtils__/renderInPluginApp';
import { CreateCampaignDialog } from './CreateCampaignDialog';

const dryRun: CampaignDryRun = {
  matched: 120,
  planClean: 100,
  autoEligible: 80,
  blocked: 15,
  blockedReasons: [
    {
      code: 'narrowing-cast',
      count: 10,
      examples: [
        {
          entityRef: 'resource:default/plays',
          message: 'plays holds values above 2147483647',
        },
      ],
    },
    { code: 'missing-primary-key', count: 5, examples: [] },
  ],
  alreadyActive: 5,
};

function renderDialog(createCampaign: jest.Mock, onCreated = jest.fn()) {
  renderInPluginApp(
    <CreateCampaignDialog open onClose={jest.fn()} onCreated={onCreated} />,
    { campaigns: { createCampaign } },
  );
  return onCreated;
}

const field = (label: RegExp) => screen.getByRole('textbox', { name: label });
const numberField = (label: RegExp) =>
  screen.getByRole('spinbutton', { name: label });
const button = (name: string) => screen.getByRole('button', { name });

describe('CreateCampaignDialog', () => {
  it('names each invalid field and asks nothing of the backend', async () => {
    const createCampaign = jest.fn();
    renderDialog(createCampaign);
    await userEvent.clear(numberField(/Max running/));
    await userEvent.type(numberField(/Max running/), '0');
    await userEvent.clear(numberField(/Max failure rate/));
    await userEvent.type(numberField(/Max failure rate/), '150');
    await userEvent.type(field(/Owners/), 'team-a');
    await userEvent.click(button('Preview'));
    expect(
      screen.getByText(
        'Name is required: say what the campaign moves and why.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Owners: "team-a" is no entity ref; write it as group:default/team-a.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Max running must be a whole number of at least 1.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Max failure rate must be a percentage between 0 and 100.',
      ),
    ).toBeInTheDocument();
    expect(field(/^Name(?! glob)/)).toHaveAttribute('aria-invalid', 'true');
    expect(createCampaign).not.toHaveBeenCalled();
    expect(button('Create')).toBeDisabled();
  });

  it('refuses an empty selector', async () => {
    const createCampaign = jest.fn();
    renderDialog(createCampaign);
    await userEvent.type(field(/^Name(?! glob)/), 'everything');
    await userEvent.click(button('Preview'));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Selector is empty: give at least one of owners, connections, schemas, tags, systems or a name glob.',
    );
    expect(createCampaign).not.toHaveBeenCalled();
  });

  it('previews with a dry run, offers Create only for the previewed inputs, and creates with them', async () => {
    const created = campaign({ name: 'warehouse snake_case' });
    const createCampaign = jest.fn(async (request: { dryRun?: boolean }) =>
      request.dryRun ? { dryRun } : { campaign: created, dryRun },
    );
    const onCreated = renderDialog(createCampaign);
    await userEvent.type(field(/^Name(?! glob)/), 'warehouse snake_case');
    await userEvent.type(field(/Connections/), 'warehouse, archive');
    await userEvent.type(field(/Name glob/), 'page_*');
    await userEvent.click(screen.getByRole('radio', { name: /Auto/ }));
    expect(button('Create')).toBeDisabled();

    await userEvent.click(button('Preview'));
    const preview = await screen.findByRole('region', { name: 'dry run' });
    expect(createCampaign).toHaveBeenCalledWith({
      name: 'warehouse snake_case',
      selector: { connections: ['warehouse', 'archive'], nameGlob: 'page_*' },
      mode: 'auto',
      pacing: { maxRunning: 4, startsPerMinute: 30 },
      failureBudget: { window: 20, maxFailureRate: 0.2 },
      dryRun: true,
    });
    expect(preview).toHaveTextContent(/Matched\s*120/);
    expect(preview).toHaveTextContent(/Plan clean\s*100/);
    expect(preview).toHaveTextContent(/Auto-eligible\s*80/);
    expect(preview).toHaveTextContent(/Blocked\s*15/);
    expect(preview).toHaveTextContent(/Already active\s*5/);
    expect(preview).toHaveTextContent(
      '80 would be queued without a click; 20 would wait for an owner',
    );
    expect(preview).toHaveTextContent('narrowing-cast: 10 datasets');
    expect(preview).toHaveTextContent(
      'plays: plays holds values above 2147483647',
    );
    expect(preview).toHaveTextContent('missing-primary-key: 5 datasets');
    await waitFor(() => expect(button('Create')).toBeEnabled());

    // Another input than the one previewed: Create waits for a new preview.
    await userEvent.clear(numberField(/Max running/));
    await userEvent.type(numberField(/Max running/), '8');
    expect(button('Create')).toBeDisabled();
    expect(
      screen.getByText(/The inputs changed since this preview/),
    ).toBeInTheDocument();
    await userEvent.click(button('Preview'));
    await waitFor(() => expect(button('Create')).toBeEnabled());

    await userEvent.click(button('Create'));
    expect(createCampaign).toHaveBeenLastCalledWith({
      name: 'warehouse snake_case',
      selector: { connections: ['warehouse', 'archive'], nameGlob: 'page_*' },
      mode: 'auto',
      pacing: { maxRunning: 8, startsPerMinute: 30 },
      failureBudget: { window: 20, maxFailureRate: 0.2 },
    });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
  });

  it("shows the backend's reason when the preview is refused", async () => {
    const createCampaign = jest.fn(async () => {
      throw new Error('selector.connections: unknown connection "archive"');
    });
    renderDialog(createCampaign);
    await userEvent.type(field(/^Name(?! glob)/), 'x');
    await userEvent.type(field(/Connections/), 'archive');
    await userEvent.click(button('Preview'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not preview the campaign: selector.connections: unknown connection "archive"',
    );
    expect(button('Create')).toBeDisabled();
  });
});
