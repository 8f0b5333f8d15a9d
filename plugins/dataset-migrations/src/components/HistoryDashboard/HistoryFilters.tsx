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
import { dayOf, endOfDay, startOfDay } from './filterParams';
import { OwnerPicker } from './OwnerPicker';

export type HistoryFilter = Omit<MigrationListQuery, 'limit' | 'cursor'>;

export const INVERTED_RANGE_MESSAGE =
  '"To" is before "From": pick a "To" day on or after the "From" day.';

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
  const set = (key: keyof HistoryFilter, v: string | undefined) =>
    onChange({ ...value, [key]: v || undefined });
  // The days as picked: an inverted range stays on screen with its message and is
  // never applied, so the history never silently shows nothing.
  const [range, setRange] = useState({
    from: dayOf(value.createdAfter),
    to: dayOf(value.createdBefore),
  });
  useEffect(
    () =>
      setRange({
        from: dayOf(value.createdAfter),
        to: dayOf(value.createdBefore),
      }),
    [value.createdAfter, value.createdBefore],
  );
  const isInverted = Boolean(range.from && range.to && range.to < range.from);
  const pick = (bound: 'from' | 'to', day: string) => {
    const next = { ...range, [bound]: day };
    setRange(next);
    if (next.from && next.to && next.to < next.from) return;
    onChange({
      ...value,
      createdAfter: next.from ? startOfDay(next.from) : undefined,
      createdBefore: next.to ? endOfDay(next.to) : undefined,
    });
  };
  const isFiltered =
    Object.values(value).some(v => v !== undefined) || isInverted;

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 16 }}
      mb={2}
      // On paper, as the cards are: the fields' grey labels are 4.47:1 on the page's
      // background, 4.6:1 on white (axe: color-contrast).
      bgcolor="background.paper"
      p={2}
      borderRadius={4}
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
      <OwnerPicker value={value.owner} onChange={v => set('owner', v)} />
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
        value={range.from}
        onChange={d => pick('from', d)}
      />
      <DateFilter
        id="migration-to-filter"
        label="To"
        value={range.to}
        onChange={d => pick('to', d)}
        error={isInverted ? INVERTED_RANGE_MESSAGE : undefined}
      />
      <Button
        size="small"
        disabled={!isFiltered}
        onClick={() => {
          setRange({ from: '', to: '' });
          onChange({});
        }}
        style={{ alignSelf: 'center' }}
      >
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
  error?: string;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label}
      type="date"
      InputLabelProps={{ shrink: true }}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      error={Boolean(props.error)}
      helperText={props.error}
      FormHelperTextProps={{ role: props.error ? 'alert' : undefined }}
      style={{ maxWidth: 260 }}
    />
  );
}
