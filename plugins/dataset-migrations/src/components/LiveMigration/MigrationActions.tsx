import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigratePermission,
  isActionAllowed,
  Migration,
  MigrationAction,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { ConsumersOnOldName } from '../Consumers/ConsumersOnOldName';
import { useIsReconnecting } from '../BackendStatus';
import { DangerButton } from '../DangerButton';
import { errorMessage } from '../errorMessage';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { ResponsiveDialog } from '../ResponsiveDialog';

/** How an action reads on screen; when it applies is the shared state machine's call. */
type ActionSpec = {
  action: MigrationAction;
  label: string;
  consequence: string;
  /** Drops what a person cannot get back: drawn in the error colour. */
  isIrreversible?: boolean;
};

export const ACTION_TEXTS: ActionSpec[] = [
  {
    action: 'cancel',
    label: 'Cancel',
    consequence:
      'The steps that ran are undone in reverse and the source table stays exactly as it was.',
  },
  {
    action: 'retry',
    label: 'Retry',
    consequence:
      'The migration runs again with the same approved plan, resuming copies from their last checkpoint.',
  },
  {
    action: 'rollback',
    label: 'Roll back',
    consequence:
      'Readers go back to the original table at its name and the new table is dropped.',
  },
  {
    action: 'finalize',
    label: 'Finalize',
    consequence:
      'The compatibility view (or frozen source) and the backup are dropped now. This cannot be undone: make sure every consumer reads the new table.',
    isIrreversible: true,
  },
];

/** The actions that apply to the migration's status, each behind a confirmation. */
export const MigrationActions = ({
  migration,
  onDone,
}: {
  migration: Migration;
  onDone: (migration: Migration) => void;
}) => {
  const api = useApi(datasetMigrationsApiRef);
  const { allowed, loading } = usePermission({
    permission: datasetMigratePermission,
    resourceRef: migration.entityRef,
  });
  const isReconnecting = useIsReconnecting();
  const [pending, setPending] = useState<ActionSpec>();
  const [isActing, setActing] = useState(false);
  const [error, setError] = useState<string>();
  // Finalize's consumer gate: consumers still on the old name need the explicit override.
  const [override, setOverride] = useState(false);
  const [isGated, setGated] = useState(false);
  const onBlocking = useCallback((blocking: boolean) => {
    if (blocking) setGated(true);
  }, []);
  const available = ACTION_TEXTS.filter(a =>
    isActionAllowed(a.action, migration.status),
  );
  if (available.length === 0) return null;

  const close = () => {
    setPending(undefined);
    setError(undefined);
    setOverride(false);
    setGated(false);
  };
  const confirm = async (spec: ActionSpec) => {
    setActing(true);
    try {
      const result =
        spec.action === 'finalize' && override
          ? await api.actOnMigration(migration.id, spec.action, {
              overrideConsumers: true,
            })
          : await api.actOnMigration(migration.id, spec.action);
      close();
      onDone(result.migration);
    } catch (e) {
      const message = errorMessage(e);
      // The backend read the consumers' code again and found some on the old name.
      if (message.includes('overrideConsumers')) setGated(true);
      setError(message);
    } finally {
      setActing(false);
    }
  };

  return (
    <Box display="flex" style={{ gap: 8 }} alignItems="center" mt={1}>
      {available.map(a => {
        const ActionButton = a.isIrreversible ? DangerButton : Button;
        return (
          <ActionButton
            key={a.action}
            variant="outlined"
            disabled={loading || !allowed || isReconnecting}
            onClick={() => setPending(a)}
          >
            {a.label}
          </ActionButton>
        );
      })}
      {!loading && !allowed && (
        <Typography variant="body2" color="textSecondary">
          Only the owners of this dataset can act on its migrations.
        </Typography>
      )}
      <ResponsiveDialog
        open={Boolean(pending)}
        onClose={close}
        aria-labelledby="confirm-action-title"
      >
        <DialogTitle id="confirm-action-title">
          {pending?.label} the migration of{' '}
          <EntityDisplayName entityRef={migration.entityRef} hideIcon />?
        </DialogTitle>
        <DialogContent>
          <Typography>{pending?.consequence}</Typography>
          {pending?.action === 'finalize' && (
            <ConsumersOnOldName
              migrationId={migration.id}
              override={override}
              onOverride={setOverride}
              onBlocking={onBlocking}
              isGated={isGated}
            />
          )}
          {error && (
            <Typography color="error" role="alert">
              {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Keep it</Button>
          {pending?.isIrreversible ? (
            <DangerButton
              variant="contained"
              disabled={isActing || isReconnecting || (isGated && !override)}
              onClick={() => confirm(pending)}
            >
              {pending.label}
            </DangerButton>
          ) : (
            <Button
              color="primary"
              variant="contained"
              disabled={isActing || isReconnecting || (isGated && !override)}
              onClick={() => pending && confirm(pending)}
            >
              {pending?.label}
            </Button>
          )}
        </DialogActions>
      </ResponsiveDialog>
    </Box>
  );
};
