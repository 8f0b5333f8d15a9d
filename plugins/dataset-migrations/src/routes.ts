import {
  createExternalRouteRef,
  createRouteRef,
  createSubRouteRef,
} from '@backstage/core-plugin-api';

// Created with the legacy helpers: in Backstage 1.55 these refs also implement the new
// frontend system's RouteRef, so one set serves both plugins and `useRouteRef` from
// core-plugin-api resolves them in either app.

/** The plugin's page: the history dashboard. */
export const rootRouteRef = createRouteRef({ id: 'dataset-migrations' });

/** One migration's detail page. */
export const migrationRouteRef = createSubRouteRef({
  id: 'dataset-migrations/migration',
  parent: rootRouteRef,
  path: '/migrations/:id',
});

/** The campaigns: the list, and each campaign at `campaigns/:id`. */
export const campaignsRouteRef = createSubRouteRef({
  id: 'dataset-migrations/campaigns',
  parent: rootRouteRef,
  path: '/campaigns',
});

/** One campaign's page: its burndown, its datasets, its actions. */
export const campaignRouteRef = createSubRouteRef({
  id: 'dataset-migrations/campaign',
  parent: rootRouteRef,
  path: '/campaigns/:id',
});

/** The rollouts: the agents with their versions, and each rollout at `rollouts/:id`. */
export const rolloutsRouteRef = createSubRouteRef({
  id: 'dataset-migrations/rollouts',
  parent: rootRouteRef,
  path: '/rollouts',
});

/** One rollout's page: its step and share, its gate numbers and its decisions. */
export const rolloutRouteRef = createSubRouteRef({
  id: 'dataset-migrations/rollout',
  parent: rootRouteRef,
  path: '/rollouts/:id',
});

/**
 * The catalog's index, where empty states send a person to find a dataset. Bound to
 * the catalog plugin's index by default in the new frontend system; a legacy app binds
 * it with `bindRoutes` (optional: without it the empty states only explain).
 */
export const catalogIndexRouteRef = createExternalRouteRef({
  id: 'dataset-migrations/catalog-index',
  optional: true,
  defaultTarget: 'catalog.catalogIndex',
});
