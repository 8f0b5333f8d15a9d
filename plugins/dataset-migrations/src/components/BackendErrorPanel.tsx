import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import {
  BACKEND_RETRYING,
  BACKEND_UNREACHABLE,
  errorMessage,
  isBackendUnreachable,
  isRefusal,
  nextStep,
} from './errorMessage';

/**
 * The backend cannot be reached and the page asks again by itself: said once, politely,
 * as a live status (not an alert), until an answer comes.
 */
export const ReconnectingNotice = () => (
  <Box role="status" aria-label="Backend connection" mb={2}>
    <WarningPanel
      severity="info"
      title="Reconnecting…"
      message={BACKEND_RETRYING}
    />
  </Box>
);

/**
 * A failed request as a person should read it. No answer at all reads as reconnecting
 * where the page retries (`isRetrying`), or as "cannot reach" where the person must try
 * again; the browser's raw "Failed to fetch" never shows, not even in the details.
 * A refusal (4xx) is the backend's message and what to do, nothing raw: its details
 * would repeat the client's "Request failed with …". Anything else (a 5xx, a bug) is
 * Backstage's response error panel headed by the backend's message.
 */
export const BackendErrorPanel = ({
  error,
  title,
  isRetrying = false,
}: {
  error: Error;
  /** What failed, e.g. "Could not load the fleet"; the reason follows it. */
  title: string;
  isRetrying?: boolean;
}) => {
  if (isBackendUnreachable(error)) {
    return isRetrying ? (
      <ReconnectingNotice />
    ) : (
      <Box role="alert">
        <WarningPanel
          severity="error"
          title={title}
          message={BACKEND_UNREACHABLE}
        />
      </Box>
    );
  }
  if (isRefusal(error)) {
    return (
      <Box role="alert">
        <WarningPanel
          severity="error"
          title={`${title}: ${errorMessage(error)}`}
          message={nextStep(error)}
          defaultExpanded
        />
      </Box>
    );
  }
  return (
    <ResponseErrorPanel
      error={error}
      title={`${title}: ${errorMessage(error)}`}
    />
  );
};
