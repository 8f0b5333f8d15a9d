import { InfoCard } from '@backstage/core-components';
import {
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import type { CompatibilityMode } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { CompatibilityNote } from '../CompatibilityNote';

/**
 * Upstream datasets and downstream consumers, and how the consumers are protected
 * while the dataset moves (exactly, once a plan says which compatibility applies).
 */
export const DependenciesCard = ({
  compatibility,
}: {
  compatibility?: CompatibilityMode;
}) => {
  const { entity } = useEntity();
  const upstream = getEntityRelations(entity, RELATION_DEPENDS_ON);
  const downstream = getEntityRelations(entity, RELATION_DEPENDENCY_OF);
  return (
    <InfoCard title="Dependencies">
      <Typography variant="subtitle2">Upstream ({upstream.length})</Typography>
      <Typography paragraph>
        {upstream.length ? (
          <EntityRefLinks entityRefs={upstream} defaultKind="resource" />
        ) : (
          'None: this dataset depends on no other entity in the catalog.'
        )}
      </Typography>
      <Typography variant="subtitle2">
        Downstream consumers ({downstream.length})
      </Typography>
      <Typography paragraph>
        {downstream.length ? (
          <EntityRefLinks entityRefs={downstream} defaultKind="component" />
        ) : (
          'None declared: consumers appear here when their catalog-info.yaml lists this dataset in spec.dependsOn.'
        )}
      </Typography>
      <CompatibilityNote compatibility={compatibility} consumers={downstream} />
    </InfoCard>
  );
};
