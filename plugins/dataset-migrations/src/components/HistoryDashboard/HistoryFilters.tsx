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
      <SelectFilter
        id="migration-status-filter"
        label="Status"
        value={value.status}
        onChange={v => set('status', v)}
        minWidth={180}
        options={MIGRATION_STATUSES.map(s => [s, s.replace('_', ' ')])}
      />
      <TextField
        id="migration-owner-filter"
        label="Owner"
        placeholder="data-platform"
        title="A group by name (data-platform) or any owner ref (user:default/ada)"
        value={owner}
        onChange={e => setOwner(e.target.value)}
      />
      <SelectFilter
        id="migration-connection-filter"
        label="Connection"
        value={value.connection}
        onChange={v => set('connection', v)}
        minWidth={160}
        options={connections.map(c => [c.name, `${c.name} (${c.client})`])}
      />
      <DateFilter
        id="migration-from-filter"
        label="From"
        value={day(value.createdAfter)}
        onChange={d => set('createdAfter', startOfDay(d))}
      />
      <DateFilter
        id="migration-to-filter"
        label="To"
        value={day(value.createdBefore)}
        onChange={d => set('createdBefore', endOfDay(d))}
      />
      <Button size="small" disabled={!isFiltered} onClick={() => onChange({})}>
        Clear filters
      </Button>
    </Box>
  );
};

/** A drop-down of `options` ([value, label]) after "Any", which clears the filter. */
function SelectFilter(props: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  minWidth: number;
  options: Array<[string, string]>;
}) {
  return (
    <TextField
      select
      label={props.label}
      value={props.value ?? ''}
      onChange={e => props.onChange(e.target.value)}
      id={props.id}
      style={{ minWidth: props.minWidth }}
    >
      <MenuItem value="">Any</MenuItem>
      {props.options.map(([value, label]) => (
        <MenuItem key={value} value={value}>
          {label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** A day picker; `onChange` gets the day as `yyyy-mm-dd`, or '' when cleared. */
function DateFilter(props: {
  id: string;
  label: string;
  value: string;
  onChange: (day: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label}
      type="date"
      InputLabelProps={{ shrink: true }}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
    />
  );
}
