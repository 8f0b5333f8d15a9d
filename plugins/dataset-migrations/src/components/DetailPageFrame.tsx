import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { ReactNode } from 'react';
import { errorMessage } from './errorMessage';

/**
 * A polled detail page's frame: the way back to its list, progress until the first
 * answer, the error when there is nothing to show, and above the content the error of
 * a later refresh that failed (the last answer stays on screen).
 */
export function DetailPageFrame<T>(props: {
  what: string;
  listPath: string;
  listLabel: string;
  detail?: T;
  error?: Error;
  children: (detail: T) => ReactNode;
}) {
  const { what, listPath, listLabel, detail, error } = props;
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
          <ResponseErrorPanel
            error={error}
            title={`Could not load ${what}: ${errorMessage(error)}`}
          />
        ) : (
          <Progress />
        )}
      </>
    );
  }
  return (
    <>
      {back}
      {error && (
        <Box mb={2} role="alert">
          <ResponseErrorPanel
            error={error}
            title={`The last refresh failed, showing what was loaded before: ${errorMessage(
              error,
            )}`}
          />
        </Box>
      )}
      {props.children(detail)}
    </>
  );
}
