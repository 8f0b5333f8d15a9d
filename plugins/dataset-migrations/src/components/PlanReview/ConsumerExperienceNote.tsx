import type { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import {
  formatDatasetLocation,
  type Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { consumerExperience } from './consumerExperience';

/**
 * What readers and writers of the old name experience with this plan, moment by
 * moment, and which consumers must repoint. Styled as a warning when writers get errors.
 */
export const ConsumerExperienceNote = ({
  plan,
  consumers,
}: {
  plan: Plan;
  consumers: CompoundEntityRef[];
}) => {
  const { severity, moments } = consumerExperience(plan);
  const newName = formatDatasetLocation(plan.target);
  return (
    <Alert
      severity={severity}
      // A group, not role="alert": the review is read, not announced.
      role="group"
      aria-label="how consumers are protected"
    >
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {moments.map(m => (
          <li key={m.when}>
            <Typography variant="body2">
              <strong>{m.when}:</strong> {m.what}
            </Typography>
          </li>
        ))}
      </ul>
      <Typography variant="body2" style={{ marginTop: 8 }}>
        {consumers.length > 0 ? (
          <>
            These consumers must repoint to {newName} before an owner finalizes:{' '}
            <EntityRefLinks entityRefs={consumers} defaultKind="component" />.
          </>
        ) : (
          `No consumer is declared in the catalog; any reader must repoint to ${newName} before an owner finalizes.`
        )}
      </Typography>
    </Alert>
  );
};
