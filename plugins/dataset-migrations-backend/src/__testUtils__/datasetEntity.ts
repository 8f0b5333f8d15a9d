import type { Entity } from '@backstage/catalog-model';

/** A dataset entity as the demo catalog describes one. */
export function datasetEntity(
  name: string,
  location: string,
  owner = 'group:default/data-platform',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'dataset-migrations.io/location': location },
    },
    spec: { type: 'dataset', owner },
  };
}
