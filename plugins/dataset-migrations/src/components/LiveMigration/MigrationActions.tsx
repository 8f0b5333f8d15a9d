import { useApi } from '@backstage/core-plugin-api';
import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';
import type { MigrationAction } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';

/** Which actions apply to which status, and what confirming them means. */
const ACTIONS: Array<{
  action: MigrationAction;
  label: string;
  when: Migration['status'][];
  warning: string;
}> = [
  {
    action: 'cancel',
    label: 'Cancel',
    when: ['queued', 'running'],
    warning: 'The steps that ran are undone and the source stays as it was.',
  },
  {
    action: 'retry',
    label: 'Retry',
    when: ['failed', 'cancelled', 'rolled_back'],
    warning: 'The migration runs again from the first step with the same plan.',
  },
  {
    action: 'rollback',
    label: 'Roll back',
    when: ['running', 'awaiting_cleanup'],
    warning: 'Readers go back to the original table; the new table is dropped.',
  },
  {
    action: 'finalize',
    label: 'Finalize',
    when: ['awaiting_cleanup'],
    warning:
      'The compatibility view and the backup are dropped now. This cannot be undone: make sure every consumer reads the new table.',
  },
];

/** The actions that apply to the migration's status, each behind a confirmation. */
export const MigrationActions = ({
  migration,
  onDone,
}: {
  migration: Migration;
  onDone: (m: Migration) => void;
}) => {
  const api = useApi(datasetMigrationsApiRef);
  const [pending, setPending] = useState<(typeof ACTIONS)[number]>();
  const [error, setError] = useState<string>();
  const available = ACTIONS.filter(a => a.when.includes(migration.status));
  if (available.length === 0) return null;

  const confirm = async () => {
    if (!pending) return;
    try {
      const { migration: updated } = await api.actOnMigration(
        migration.id,
        pending.action,
      );
      setPending(undefined);
      setError(undefined);
      onDone(updated);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Box display="flex" style={{ gap: 8 }} alignItems="center">
      {available.map(a => (
        <Button
          key={a.action}
          variant="outlined"
          color={a.action === 'finalize' ? 'primary' : 'default'}
          onClick={() => setPending(a)}
        >
          {a.label}
        </Button>
      ))}
      <Dialog
        open={Boolean(pending)}
        onClose={() => setPending(undefined)}
        aria-labelledby="confirm-action-title"
      >
        <DialogTitle id="confirm-action-title">
          {pending?.label} this migration?
        </DialogTitle>
        <DialogContent>
          <Typography>{pending?.warning}</Typography>
          {error && (
            <Typography color="error" role="alert">
              {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPending(undefined)}>Keep it</Button>
          <Button color="primary" variant="contained" onClick={confirm}>
            {pending?.label}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};
