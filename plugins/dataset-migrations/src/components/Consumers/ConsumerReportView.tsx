import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ConsumerReport } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { ConsumerFileView } from './ConsumerFileView';
import { ConsumerStatusLabel } from './ConsumerStatusLabel';
import { downloadText } from './downloadText';

/** One consumer: its status and counts, each file with its diff, and what to do next. */
export const ConsumerReportView = ({
  migrationId,
  report,
  canAct,
  onChanged,
}: {
  migrationId: string;
  report: ConsumerReport;
  /** Whether the person may open pull requests (the migrate permission). */
  canAct: boolean;
  onChanged: (report: ConsumerReport) => void;
}) => {
  const api = useApi(datasetMigrationsApiRef);
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const hasPatch = report.files.some(f => f.diff);
  const { counts } = report;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const openPullRequest = () =>
    run(async () => {
      const opened = await api.openConsumerPullRequest(
        migrationId,
        report.entityRef,
      );
      onChanged(opened.report);
    });
  const downloadPatch = () =>
    run(async () => {
      const patch = await api.getConsumerPatch(migrationId, report.entityRef);
      downloadText(
        patch,
        `${report.entityRef.replace(/[^A-Za-z0-9._-]+/g, '-')}.patch`,
        'text/x-diff',
      );
    });

  return (
    <Box
      mb={3}
      role="region"
      aria-label={`consumer ${report.entityRef}`}
      component="section"
    >
      <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
        <Typography variant="h6" component="h4">
          <EntityRefLink entityRef={report.entityRef} />
        </Typography>
        <ConsumerStatusLabel status={report.status} />
      </Box>
      <Typography variant="body2" color="textSecondary">
        {counts.statements} statement(s): {counts.rewritten} rewritten,{' '}
        {counts.verified} verified by parity, {counts.unverifiable} not
        rewritten with certainty · checked{' '}
        {new Date(report.checkedAt).toLocaleString('en-US')}
      </Typography>
      {report.error && (
        <Typography color="error" variant="body2">
          {report.error}
        </Typography>
      )}
      <Box display="flex" alignItems="center" style={{ gap: 8 }} my={1}>
        {report.pullRequestUrl && (
          <Link to={report.pullRequestUrl}>Pull request</Link>
        )}
        {hasPatch && !report.pullRequestUrl && (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            disabled={!canAct || isBusy}
            onClick={openPullRequest}
          >
            Open pull request
          </Button>
        )}
        {hasPatch && (
          <Button
            size="small"
            variant="outlined"
            disabled={isBusy}
            onClick={downloadPatch}
          >
            Download patch
          </Button>
        )}
      </Box>
      {error && (
        <Typography color="error" role="alert" variant="body2">
          {error}
        </Typography>
      )}
      {report.files.map(file => (
        <ConsumerFileView key={file.url} file={file} />
      ))}
    </Box>
  );
};
