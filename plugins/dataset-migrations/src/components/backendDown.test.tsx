import type { FleetOverview } from '@internal/backstage-plugin-dataset-migrations-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { CAMPAIGN_ID, campaignDetail } from '../__testUtils__/campaignFixtures';
import {
  Answer,
  controlledBackend,
  json,
} from '../__testUtils__/controlledBackend';
import { migration } from '../__testUtils__/fixtures';
import { renderCampaignPage } from '../__testUtils__/renderCampaignPage';
import { renderInPluginApp } from '../__testUtils__/renderInPluginApp';
import { renderRolloutPage } from '../__testUtils__/renderRolloutPage';
import { ROLLOUT_ID, rolloutDetail } from '../__testUtils__/rolloutFixtures';
import { CAMPAIGN_POLL_MS } from './Campaigns/useCampaignDetail';
import { FleetPage } from './Fleet/FleetPage';
import { FLEET_POLL_MS } from './Fleet/useFleet';
import { HistoryDashboard } from './HistoryDashboard/HistoryDashboard';
import { ROLLOUT_POLL_MS } from './Rollouts/useRolloutDetail';
import { RECONNECT_MS } from './useRetryWhileUnreachable';

jest.setTimeout(30_000);

/**
 * A backend that is up or down as the test says: while down, every request gets no
 * answer (fetch rejects with "Failed to fetch", as in a browser); while up, `routes`
 * answers by path.
 */
function backend(routes: (url: URL) => Response | undefined) {
  const state = { isUp: false, asked: [] as string[] };
  const answer: Answer = url => {
    state.asked.push(url.pathname);
    return state.isUp ? routes(url) : undefined;
  };
  return { state, ...controlledBackend(answer) };
}

const path = (url: URL) => url.pathname.replace('/api/dm', '');
const emptyPage = () => json(200, { items: [], nextCursor: null });

const noRawFailure = () =>
  expect(document.body.textContent).not.toMatch(/Failed to fetch|TypeError/);

const wait = (ms: number) =>
  act(async () => {
    jest.advanceTimersByTime(ms);
  });

const reconnecting = () => screen.findByText(/Reconnecting…/);
const isReconnectingGone = () =>
  waitFor(() => expect(screen.queryByText(/Reconnecting…/)).toBeNull());

// Node's Response reads its body on the event loop's own queues: those stay real.
beforeEach(() =>
  jest.useFakeTimers({
    advanceTimers: true,
    doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
  }),
);
afterEach(() => jest.useRealTimers());

describe('the campaign page with the backend down', () => {
  const routes = (url: URL) => {
    if (path(url) === `/campaigns/${CAMPAIGN_ID}`)
      return json(200, { campaign: campaignDetail({ status: 'active' }) });
    if (path(url) === `/campaigns/${CAMPAIGN_ID}/datasets`) return emptyPage();
    return undefined;
  };

  it('says it is reconnecting from the first load, then shows the campaign by itself', async () => {
    const { state, campaigns } = backend(routes);
    renderCampaignPage({ campaigns });
    expect(await reconnecting()).toBeInTheDocument();
    expect(
      screen.getByText(/Cannot reach the Dataset Migrations backend/),
    ).toBeInTheDocument();
    noRawFailure();

    state.isUp = true;
    await wait(RECONNECT_MS);
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeEnabled();
    await isReconnectingGone();
    noRawFailure();
  });

  it('keeps the campaign on screen with its actions disabled while reconnecting, and enables them again', async () => {
    const { state, campaigns } = backend(routes);
    state.isUp = true;
    renderCampaignPage({ campaigns });
    const pause = await screen.findByRole('button', { name: 'Pause' });
    await waitFor(() => expect(pause).toBeEnabled());

    state.isUp = false;
    await wait(CAMPAIGN_POLL_MS);
    expect(await reconnecting()).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Cancel campaign' }),
    ).toBeDisabled();
    noRawFailure();

    state.isUp = true;
    await wait(RECONNECT_MS);
    await isReconnectingGone();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Cancel campaign' }),
    ).toBeEnabled();
    noRawFailure();
  });
});

describe('the rollout page with the backend down', () => {
  const routes = (url: URL) =>
    path(url) === `/rollouts/${ROLLOUT_ID}`
      ? json(200, { rollout: rolloutDetail() })
      : undefined;

  it('says it is reconnecting from the first load, then shows the rollout by itself', async () => {
    const { state, rollouts } = backend(routes);
    renderRolloutPage({ rollouts });
    expect(await reconnecting()).toBeInTheDocument();
    noRawFailure();

    state.isUp = true;
    await wait(RECONNECT_MS);
    expect(
      await screen.findByRole('button', { name: 'Abort rollout' }),
    ).toBeEnabled();
    await isReconnectingGone();
    noRawFailure();
  });

  it('disables Abort while reconnecting and enables it when the backend answers again', async () => {
    const { state, rollouts } = backend(routes);
    state.isUp = true;
    renderRolloutPage({ rollouts });
    const abort = await screen.findByRole('button', { name: 'Abort rollout' });
    await waitFor(() => expect(abort).toBeEnabled());

    state.isUp = false;
    await wait(ROLLOUT_POLL_MS);
    expect(await reconnecting()).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Abort rollout' }),
    ).toBeDisabled();
    noRawFailure();

    state.isUp = true;
    await wait(RECONNECT_MS);
    await isReconnectingGone();
    expect(screen.getByRole('button', { name: 'Abort rollout' })).toBeEnabled();
    noRawFailure();
  });
});

describe('the fleet page with the backend down', () => {
  const fleet: FleetOverview = {
    instances: [],
    caps: [],
    queueLength: 7,
    lostAfterMs: 10_000,
  };
  const routes = (url: URL) => {
    if (path(url) === '/fleet') return json(200, fleet);
    if (path(url) === '/connections')
      return json(200, { items: [{ name: 'warehouse', client: 'pg' }] });
    return undefined;
  };

  it('says once that it is reconnecting, then shows the fleet and the connections by itself', async () => {
    const { state, api } = backend(routes);
    renderInPluginApp(<FleetPage />, { api });
    expect(await reconnecting()).toBeInTheDocument();
    // The connections card does not say it a second time.
    await waitFor(() => expect(state.asked).toContain('/api/dm/connections'));
    expect(screen.getAllByText(/Reconnecting…/)).toHaveLength(1);
    noRawFailure();

    state.isUp = true;
    await wait(FLEET_POLL_MS);
    const connections = await screen.findByRole('list', {
      name: 'connections',
    });
    expect(connections).toHaveTextContent('warehouse (pg)');
    await isReconnectingGone();
    expect(screen.getByText(/^7\b|queue/i)).toBeInTheDocument();
    noRawFailure();
  });
});

describe('the history dashboard with the backend down', () => {
  const stats = {
    total: 1,
    byStatus: { completed: 1 },
    successRate: 1,
    rollbacks: { requestedByPerson: 0, automatic: 0 },
    perDay: [{ day: '2026-11-23', count: 1 }],
  };
  const routes = (url: URL) => {
    if (path(url) === '/migrations/stats') return json(200, stats);
    if (path(url) === '/migrations')
      return json(200, {
        items: [migration({ status: 'completed' })],
        nextCursor: null,
      });
    if (path(url) === '/connections')
      return json(200, { items: [{ name: 'warehouse', client: 'pg' }] });
    return undefined;
  };

  it('says it is reconnecting, then shows the stats, the history and the connection filter by itself', async () => {
    const { state, api } = backend(routes);
    renderInPluginApp(<HistoryDashboard />, { api });
    expect(await reconnecting()).toBeInTheDocument();
    // The statistics and the history table each say why they are empty.
    expect(
      await screen.findAllByText(
        'Cannot reach the Dataset Migrations backend; retrying…',
      ),
    ).toHaveLength(2);
    noRawFailure();

    state.isUp = true;
    await wait(RECONNECT_MS);
    await isReconnectingGone();
    await waitFor(() =>
      expect(screen.queryByText(/retrying…/)).not.toBeInTheDocument(),
    );
    expect(await screen.findByText('customer-accounts')).toBeInTheDocument();
    noRawFailure();

    // The connection filter lists the connections it could not load while down.
    const filters = within(screen.getByRole('search', { name: 'filters' }));
    fireEvent.mouseDown(filters.getByRole('button', { name: /^Connection/ }));
    expect(
      await within(screen.getByRole('listbox')).findByText('warehouse (pg)'),
    ).toBeInTheDocument();
  });
});
