import {
  ConnectionSummary,
  MIGRATION_STATUSES,
  MigrationListQuery,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** Filters of the history dashboard: status, owner, connection and date range. */
export const HistoryFilters = ({
  value,
  connections,
  onChange,
}: {
  value: MigrationListQuery;
  connections: ConnectionSummary[];
  onChange: (query: MigrationListQuery) => void;
}) => {
  const set = (key: keyof MigrationListQuery, v: string) =>
    onChange({ ...value, [key]: v || undefined });
  const day = (iso?: string) => iso?.slice(0, 10) ?? '';
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
      <TextField
        select
        label="Status"
        value={value.status ?? ''}
        onChange={e => set('status', e.target.value)}
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
        label="Owner"
        placeholder="group:default/data-platform"
        value={value.owner ?? ''}
        onChange={e => set('owner', e.target.value)}
      />
      <TextField
        select
        label="Connection"
        value={value.connection ?? ''}
        onChange={e => set('connection', e.target.value)}
        style={{ minWidth: 160 }}
      >
        <MenuItem value="">Any</MenuItem>
        {connections.map(c => (
          <MenuItem key={c.name} value={c.name}>
            {c.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label="From"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={day(value.createdAfter)}
        onChange={e =>
          set(
            'createdAfter',
            e.target.value
              ? new Date(`${e.target.value}T00:00:00Z`).toISOString()
              : '',
          )
        }
      />
      <TextField
        label="To"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={day(value.createdBefore)}
        onChange={e =>
          set(
            'createdBefore',
            e.target.value
              ? new Date(`${e.target.value}T23:59:59Z`).toISOString()
              : '',
          )
        }
      />
    </Box>
  );
};
