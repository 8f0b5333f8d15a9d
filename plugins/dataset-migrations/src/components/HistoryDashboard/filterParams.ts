import {
  MIGRATION_STATUSES,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { HistoryFilter } from './HistoryFilters';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const startOfDay = (day: string) =>
  new Date(`${day}T00:00:00.000Z`).toISOString();
const endOfDay = (day: string) =>
  new Date(`${day}T23:59:59.999Z`).toISOString();

/**
 * The dashboard's filters from its URL (`?status=failed&owner=group:default/x&from=
 * 2026-11-01&to=2026-11-30`), so a filtered view can be shared and survives a reload.
 * Values that are not valid are left out rather than sent to the API.
 */
export function filterFromParams(params: URLSearchParams): HistoryFilter {
  const filter: HistoryFilter = {};
  const status = params.get('status');
  if (status && MIGRATION_STATUSES.includes(status as MigrationStatus)) {
    filter.status = status as MigrationStatus;
  }
  const owner = params.get('owner');
  if (owner) filter.owner = owner;
  const connection = params.get('connection');
  if (connection) filter.connection = connection;
  const from = params.get('from');
  if (from && DAY.test(from)) filter.createdAfter = startOfDay(from);
  const to = params.get('to');
  if (to && DAY.test(to)) filter.createdBefore = endOfDay(to);
  return filter;
}

/** The URL parameters of the filters, in a fixed order, days as `yyyy-mm-dd`. */
export function paramsFromFilter(filter: HistoryFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.owner) params.set('owner', filter.owner);
  if (filter.connection) params.set('connection', filter.connection);
  if (filter.createdAfter) params.set('from', filter.createdAfter.slice(0, 10));
  if (filter.createdBefore) params.set('to', filter.createdBefore.slice(0, 10));
  return params;
}

/** The day of a filter bound, `yyyy-mm-dd`, or '' for none. */
export const dayOf = (iso?: string) => iso?.slice(0, 10) ?? '';
export { startOfDay, endOfDay };
