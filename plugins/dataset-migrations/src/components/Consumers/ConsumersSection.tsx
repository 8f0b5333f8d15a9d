import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigratePermission,
  type Migration,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ConsumerReportView } from './ConsumerReportView';
import { useConsumerReports } from './useConsumerReports';

/**
 * The migration's consumers: what the consumer agent did to each one's code, the
 * evidence that the rewrites return the same rows, and the patch or pull request.
 */
export const ConsumersSection = ({ migration }: { migration: Migration }) => {
  const { reports, error, isChecking, checkAgain, replace } =
    useConsumerReports(migration.id);
  const { allowed } = usePermission({
    permission: datasetMigratePermission,
    resourceRef: migration.entityRef,
  });
  return (
    <Box mt={3} role="region" aria-label="consumers">
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="h6" component="h3">
          Consumers
        </Typography>
        <Button
          size="small"
          variant="outlined"
          disabled={!allowed || isChecking}
          onClick={checkAgain}
        >
          {isChecking ? 'Checking…' : 'Check again'}
        </Button>
      </Box>
      {error && (
        <Typography color="error" role="alert">
          {error}
        </Typography>
      )}
      {reports?.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No consumer reports yet: they are made once the migration is cut over,
          for the entities that dependsOn this dataset.
        </Typography>
      )}
      {reports?.map(report => (
        <ConsumerReportView
          key={report.entityRef}
          migrationId={migration.id}
          report={report}
          canAct={allowed}
          onChanged={replace}
        />
      ))}
    </Box>
  );
};
