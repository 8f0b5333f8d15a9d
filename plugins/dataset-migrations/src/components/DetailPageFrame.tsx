import { Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { ReactNode } from 'react';
import { BackendErrorPanel, ReconnectingNotice } from './BackendErrorPanel';
import { BackendStatusProvider } from './BackendStatus';

/**
 * A polled detail page's frame: the way back to its list, progress until the first
 * answer, the error when there is nothing to show, and above the content the error of
 * a later refresh that failed (the last answer stays on screen). While the backend
 * cannot be reached it says so and the actions below disable, until it answers again.
 */
export function DetailPageFrame<T>(props: {
  what: string;
  listPath: string;
  listLabel: string;
  detail?: T;
  error?: Error;
  isReconnecting?: boolean;
  children: (detail: T) => ReactNode;
}) {
  const { what, listPath, listLabel, detail, error } = props;
  const isReconnecting = props.isReconnecting ?? false;
  const back = (
    <Box mb={2}>
      <Link to={listPath}>← {listLabel}</Link>
    </Box>
  );
  if (!detail) {
    return (
      <>
        {back}
        {error ? (
          <BackendErrorPanel
            error={error}
            title={`Could not load ${what}`}
            isRetrying={isReconnecting}
          />
        ) : (
          <Progress />
        )}
      </>
    );
  }
  return (
    <BackendStatusProvider isReconnecting={isReconnecting}>
      {back}
      {isReconnecting && <ReconnectingNotice />}
      {error && !isReconnecting && (
        <Box mb={2} role="alert">
          <BackendErrorPanel
            error={error}
            title="The last refresh failed, showing what was loaded before"
          />
        </Box>
      )}
      {props.children(detail)}
    </BackendStatusProvider>
  );
}
