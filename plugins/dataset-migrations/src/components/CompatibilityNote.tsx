import type { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { CompatibilityMode } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';

/**
 * How downstream consumers keep working while the dataset moves: a compatibility view
 * at the old name, or the frozen source they must move away from before finalize.
 * Without a plan yet, both cases are explained.
 */
export const CompatibilityNote = ({
  compatibility,
  consumers,
  targetName,
}: {
  compatibility?: CompatibilityMode;
  consumers: CompoundEntityRef[];
  /** Where consumers must repoint to, when the plan is known. */
  targetName?: string;
}) => {
  if (compatibility === 'view') {
    return (
      <Typography variant="body2" aria-label="how consumers are protected">
        Readers keep working: from cutover until cleanup, the old name is a
        compatibility view over the new table that presents the old columns and
        types. Writers get errors while writes pause for the cutover, and on
        SQLite from cutover on (its views take no writes). Consumers should move
        to the new table before an owner finalizes or the grace period ends.
      </Typography>
    );
  }
  if (compatibility === 'foreign-view') {
    return (
      <Typography variant="body2" aria-label="how consumers are protected">
        Readers keep working: from cutover until cleanup, the old name is a
        compatibility view that reads the new table in the other PostgreSQL
        database (through postgres_fdw) and presents the old columns and types.
        Writers get errors while writes pause for the cutover. Consumers should
        move to the new table before an owner finalizes or the grace period
        ends.
      </Typography>
    );
  }
  if (compatibility === 'frozen-source') {
    return (
      <Typography variant="body2" aria-label="how consumers are protected">
        No view can stand at the old name for this target, so from cutover the
        old table stays readable but read-only (writes fail with a clear error).{' '}
        {consumers.length > 0 ? (
          <>
            These consumers must repoint
            {targetName ? ` to ${targetName}` : ''} before an owner finalizes:{' '}
            <EntityRefLinks entityRefs={consumers} defaultKind="component" />.
          </>
        ) : (
          `Every reader must repoint${
            targetName ? ` to ${targetName}` : ''
          } before an owner finalizes.`
        )}
      </Typography>
    );
  }
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      aria-label="how consumers are protected"
    >
      While a migration runs, consumers keep reading the old name. After
      cutover, a compatibility view there presents the old columns and types
      until cleanup. Where no view can stand (another engine, another SQLite
      file), the old table stays readable but read-only, and consumers must
      repoint before an owner finalizes. The plan says which applies.
    </Typography>
  );
};
