import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CAMPAIGN_ID,
  campaign,
  campaignDataset,
  campaignDetail,
  counts,
  pausedDetail,
} from '../../__testUtils__/campaignFixtures';
import { migration } from '../../__testUtils__/fixtures';
import { renderCampaignPage } from '../../__testUtils__/renderCampaignPage';
import { DATASETS_PAGE_SIZE } from './CampaignDatasetsTable';

describe('CampaignPage for an administrator', () => {
  it('shows the status with its reason, the counts, the burndown as text, the blocked reasons, the owners holding it up and the caps', async () => {
    renderCampaignPage({
      campaigns: { getCampaign: async () => ({ campaign: pausedDetail() }) },
    });
    const status = await screen.findByLabelText('campaign status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveTextContent(
      'paused: failure budget: 5 of the last 20 finished migrations failed',
    );
    expect(status).toHaveTextContent('9 of 15 datasets finished.');

    const byState = screen.getByLabelText('datasets by state');
    expect(byState).toHaveTextContent(/blocked\s*3/);
    expect(byState).toHaveTextContent(/awaiting approval\s*2/);
    expect(byState).toHaveTextContent(/failed\s*5/);

    expect(
      screen.getByRole('img', {
        name: 'burndown: datasets remaining over time',
      }),
    ).toHaveAccessibleDescription(
      /^4 datasets remaining, down from 10 at .*: 6 finished over 3 points\.$/,
    );
    expect(
      within(
        screen.getByRole('table', { name: 'burndown points' }),
      ).getAllByRole('row'),
    ).toHaveLength(4);

    expect(screen.getByLabelText('blocked reasons')).toHaveTextContent(
      'not-null-violation: 3 datasets',
    );
    expect(screen.getByLabelText('blocked reasons')).toHaveTextContent(
      'page-views: column referrer holds 12 NULLs',
    );

    // The owner with approvals and blocked datasets waiting comes first.
    const owners = screen.getByText('Owners').closest('.MuiPaper-root')!;
    const rows = within(owners as HTMLElement).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('data-platform');
    expect(rows[1]).toHaveTextContent(/5\s*2\s*3\s*0\s*10/);
    expect(rows[2]).toHaveTextContent('billing');

    const caps = screen.getByRole('list', { name: 'caps' });
    expect(caps).toHaveTextContent(
      'Source connection warehouse running: 1 / 2',
    );
    expect(caps).toHaveTextContent('Starts in the last minute: 3 / 30');
  });

  it('offers the actions the status allows, and cancels only after a confirmation', async () => {
    // The page polls: it reads paused until the cancel has been sent, whenever the
    // poll happens to fire on a loaded machine.
    let cancelled = false;
    const getCampaign = jest.fn(async () => ({
      campaign: cancelled
        ? campaignDetail({
            status: 'cancelled',
            counts: counts({ skipped: 5 }),
          })
        : pausedDetail(),
    }));
    const actOnCampaign = jest.fn(async () => {
      cancelled = true;
      return { campaign: campaign({ status: 'cancelled' }), affected: 5 };
    });
    renderCampaignPage({ campaigns: { getCampaign, actOnCampaign } });
    await screen.findByLabelText('campaign status');
    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Pause' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Re-plan blocked' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Finalize all awaiting cleanup' }),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Cancel campaign' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'migrations already running finish or roll back',
    );
    expect(actOnCampaign).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel campaign' }),
    );
    expect(actOnCampaign).toHaveBeenCalledWith(CAMPAIGN_ID, 'cancel');
    expect(
      await screen.findByText('Cancel campaign: done, 5 datasets affected.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByLabelText('campaign status')).toHaveTextContent(
        'cancelled',
      ),
    );
    expect(
      screen.queryByRole('button', { name: 'Cancel campaign' }),
    ).not.toBeInTheDocument();
  });

  it('shows the reason a refused action gives', async () => {
    // What the client throws for a 409: a ResponseError whose cause is the server's error.
    const body = {
      error: {
        name: 'ConflictError',
        message: 'Campaign warehouse snake_case is already active',
      },
      request: { method: 'POST', url: `/campaigns/${CAMPAIGN_ID}/resume` },
      response: { statusCode: 409 },
    };
    const refusal = await ResponseError.fromResponse({
      ok: false,
      status: 409,
      statusText: 'Conflict',
      url: `http://localhost/api/dataset-migrations/campaigns/${CAMPAIGN_ID}/resume`,
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(body),
    } as never);
    renderCampaignPage({
      campaigns: {
        getCampaign: async () => ({ campaign: pausedDetail() }),
        actOnCampaign: async () => {
          throw refusal;
        },
      },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Resume' }),
    );
    expect(
      await screen.findByText(
        'Resume failed: Campaign warehouse snake_case is already active',
      ),
    ).toBeInTheDocument();
  });

  it('pages the datasets on the server by cursor and filters them by state there', async () => {
    const listCampaignDatasets = jest.fn(
      async (_id: string, query: { state?: string; cursor?: string } = {}) => {
        if (query.state === 'running') {
          return { items: [], nextCursor: null };
        }
        if (query.cursor === 'page-2') {
          return {
            items: [
              campaignDataset({ entityRef: 'resource:default/page-two' }),
            ],
            nextCursor: null,
          };
        }
        return {
          items: [
            campaignDataset({
              state: query.state === 'blocked' ? 'blocked' : 'queued',
              reason: query.state === 'blocked' ? 'not-null-violation' : null,
            }),
          ],
          nextCursor: 'page-2',
        };
      },
    );
    renderCampaignPage({
      campaigns: {
        getCampaign: async () => ({ campaign: pausedDetail() }),
        listCampaignDatasets,
      },
    });
    const table = await screen.findByText('Datasets');
    expect(listCampaignDatasets).toHaveBeenCalledWith(CAMPAIGN_ID, {
      state: undefined,
      limit: DATASETS_PAGE_SIZE,
      cursor: undefined,
    });
    expect(table).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }),
    );
    expect(await screen.findByText('page-two')).toBeInTheDocument();
    expect(listCampaignDatasets).toHaveBeenCalledWith(CAMPAIGN_ID, {
      state: undefined,
      limit: DATASETS_PAGE_SIZE,
      cursor: 'page-2',
    });

    // A new filter starts again at the first page.
    await userEvent.click(screen.getByLabelText('State'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'blocked' }),
    );
    expect(
      await screen.findByRole('cell', { name: 'not-null-violation' }),
    ).toBeInTheDocument();
    expect(listCampaignDatasets).toHaveBeenLastCalledWith(CAMPAIGN_ID, {
      state: 'blocked',
      limit: DATASETS_PAGE_SIZE,
      cursor: undefined,
    });
    expect(
      screen.getByText('Page 1', { selector: 'span' }),
    ).toBeInTheDocument();
  });

  it('shows each running migration with its current step and progress, linked to its live view', async () => {
    const running = migration();
    running.steps = running.steps.map(s =>
      s.name === 'copy'
        ? {
            ...s,
            status: 'running',
            progress: { done: 250, total: 1000, unit: 'rows' },
          }
        : s,
    );
    renderCampaignPage({
      campaigns: {
        getCampaign: async () => ({
          campaign: campaignDetail({ counts: counts({ running: 12 }) }),
        }),
        listCampaignDatasets: async (_id, query) => ({
          items:
            query?.state === 'running'
              ? [campaignDataset({ state: 'running', migrationId: running.id })]
              : [],
          nextCursor: null,
        }),
      },
      api: { getMigration: async () => ({ migration: running }) },
    });
    const list = await screen.findByRole('list', {
      name: 'running migrations',
    });
    expect(
      await within(list).findByText('copy: 250 / 1,000 rows'),
    ).toBeInTheDocument();
    expect(within(list).getByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      `/dataset-migrations/migrations/${running.id}`,
    );
    expect(screen.getByText(/and 11 more/)).toBeInTheDocument();
  });
});
