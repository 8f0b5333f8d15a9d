import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { type ConsumerGlob, consumerGlob } from './consumerLocation';

/** A catalog entity that depends on the dataset, and where its SQL is. */
export type Consumer = {
  entityRef: string;
  entity: Entity;
} & ConsumerGlob;

/**
 * The dataset's consumers: the entities its `dependencyOf` relations name (those that
 * declare `dependsOn` it), as the plugin's own service credentials see the catalog, so
 * that a consumer the person acting cannot see still counts.
 */
export async function findConsumers(
  datasetRef: string,
  options: {
    catalog: CatalogService;
    integrations: ScmIntegrationRegistry;
    credentials: BackstageCredentials;
  },
): Promise<Consumer[]> {
  const { catalog, credentials, integrations } = options;
  const dataset = await catalog.getEntityByRef(datasetRef, { credentials });
  const refs = [
    ...new Set(
      (dataset?.relations ?? [])
        .filter(r => r.type === RELATION_DEPENDENCY_OF)
        .map(r => r.targetRef),
    ),
  ].sort();
  if (refs.length === 0) return [];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs },
    { credentials },
  );
  return items
    .filter((entity): entity is Entity => Boolean(entity))
    .map(entity => ({
      entityRef: stringifyEntityRef(entity),
      entity,
      ...consumerGlob(entity, integrations),
    }));
}
