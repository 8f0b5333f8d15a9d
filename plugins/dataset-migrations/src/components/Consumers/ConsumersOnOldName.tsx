import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { useEffect } from 'react';
import { isOnOldName, useConsumerReports } from './useConsumerReports';
import { CONSUMER_STATUS_TEXT } from './ConsumerStatusLabel';

/**
 * In the finalize confirmation: the consumers whose code still reads the old name, as
 * last checked, and the explicit override finalizing over them needs. The backend
 * reads their code again when finalize is asked, and refuses without the override.
 */
export const ConsumersOnOldName = ({
  migrationId,
  override,
  onOverride,
  onBlocking,
  isGated,
}: {
  migrationId: string;
  /** Finalize was refused for consumers on the old name (some may not be listed here). */
  isGated: boolean;
  override: boolean;
  onOverride: (override: boolean) => void;
  onBlocking: (isBlocking: boolean) => void;
}) => {
  const { reports } = useConsumerReports(migrationId);
  const onOld = (reports ?? []).filter(isOnOldName);
  const isBlocking = onOld.length > 0;
  useEffect(() => onBlocking(isBlocking), [isBlocking, onBlocking]);
  if (!isBlocking && !isGated) return null;
  return (
    <>
      {isBlocking && (
        <>
          <Typography gutterBottom>
            {onOld.length} consumer(s) still read the old name and stop working
            once it is dropped:
          </Typography>
          <ul aria-label="consumers on the old name">
            {onOld.map(r => (
              <li key={r.entityRef}>
                {r.entityRef} ({CONSUMER_STATUS_TEXT[r.status]})
              </li>
            ))}
          </ul>
        </>
      )}
      <FormControlLabel
        control={
          <Checkbox
            checked={override}
            onChange={e => onOverride(e.target.checked)}
          />
        }
        label="Finalize anyway: I accept that these consumers break (recorded in the audit log)"
      />
    </>
  );
};
