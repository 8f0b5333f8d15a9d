import { InfoCard } from '@backstage/core-components';
import {
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';

/** Upstream datasets and downstream consumers, and how consumers are protected. */
export const DependenciesCard = () => {
  const { entity } = useEntity();
  const upstream = getEntityRelations(entity, RELATION_DEPENDS_ON);
  const downstream = getEntityRelations(entity, RELATION_DEPENDENCY_OF);
  return (
    <InfoCard title="Dependencies">
      <Typography variant="subtitle2">Upstream</Typography>
      <Typography paragraph>
        {upstream.length ? (
          <EntityRefLinks entityRefs={upstream} defaultKind="resource" />
        ) : (
          'None'
        )}
      </Typography>
      <Typography variant="subtitle2">
        Downstream consumers ({downstream.length})
      </Typography>
      <Typography paragraph>
        {downstream.length ? (
          <EntityRefLinks
            entityRefs={downstream.map(r => stringifyEntityRef(r))}
            defaultKind="component"
          />
        ) : (
          'None'
        )}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        While a migration runs, consumers keep reading the old name: after
        cutover a compatibility view there presents the old columns and values
        until cleanup. Where no view can stand (another engine or SQLite file),
        the old table stays readable but read-only, and consumers must repoint
        before an owner finalizes.
      </Typography>
    </InfoCard>
  );
};
