import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConnectionSummary,
  MIGRATION_STATUSES,
  MigrationListQuery,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';

/** The API filters on the full owner ref: `data-platform` means `group:default/data-platform`. */
export function toOwnerRef(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  try {
    return stringifyEntityRef(
      parseEntityRef(trimmed, {
        defaultKind: 'group',
        defaultNamespace: DEFAULT_NAMESPACE,
      }),
    );
  } catch {
    return trimmed;
  }
}

export type HistoryFilter = Omit<MigrationListQuery, 'limit' | 'cursor'>;

const startOfDay = (day: string) =>
  day ? new Date(`${day}T00:00:00.000Z`).toISOString() : '';
const endOfDay = (day: string) =>
  day ? new Date(`${day}T23:59:59.999Z`).toISOString() : '';

/** Filters of the history dashboard: status, owner, connection and date range (UTC days). */
export const HistoryFilters = ({
  value,
  connections,
  onChange,
}: {
  value: HistoryFilter;
  connections: ConnectionSummary[];
  onChange: (filter: HistoryFilter) => void;
}) => {
  const set = (key: keyof HistoryFilter, v: string) =>
    onChange({ ...value, [key]: v || undefined });
  const day = (iso?: string) => iso?.slice(0, 10) ?? '';
  // The owner is typed: ask the server once typing pauses, not per keystroke.
  const [owner, setOwner] = useState(value.owner ?? '');
  useEffect(() => setOwner(value.owner ?? ''), [value.owner]);
  useDebounce(
    () => {
      const ref = toOwnerRef(owner);
      if (ref !== (value.owner ?? '')) set('owner', ref);
    },
    400,
    [owner],
  );
  const isFiltered = Object.values(value).some(v => v !== undefined);

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      style={{ gap: 16 }}
      mb={2}
      role="search"
      aria-label="filters"
    >
      <TextField
        select
        label="Status"
        value={value.status ?? ''}
        onChange={e => set('status', e.target.value)}
        id="migration-status-filter"
        style={{ minWidth: 180 }}
      >
        <MenuItem value="">Any</MenuItem>
        {MIGRATION_STATUSES.map(s => (
          <MenuItem key={s} value={s}>
            {s.replace('_', ' ')}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="migration-owner-filter"
        label="Owner"
        placeholder="data-platform"
        title="A group by name (data-platform) or any owner ref (user:default/ada)"
        value={owner}
        onChange={e => setOwner(e.target.value)}
      />
      <TextField
        select
        label="Connection"
        value={value.connection ?? ''}
        onChange={e => set('connection', e.target.value)}
        id="migration-connection-filter"
        style={{ minWidth: 160 }}
      >
        <MenuItem value="">Any</MenuItem>
        {connections.map(c => (
          <MenuItem key={c.name} value={c.name}>
            {c.name} ({c.client})
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="migration-from-filter"
        label="From"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={day(value.createdAfter)}
        onChange={e => set('createdAfter', startOfDay(e.target.value))}
      />
      <TextField
        id="migration-to-filter"
        label="To"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={day(value.createdBefore)}
        onChange={e => set('createdBefore', endOfDay(e.target.value))}
      />
      <Button size="small" disabled={!isFiltered} onClick={() => onChange({})}>
        Clear filters
      </Button>
    </Box>
  );
};
