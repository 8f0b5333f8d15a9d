import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CampaignSelector,
  DATASET_RESOURCE_TYPE,
  getDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { datasetOwnerRef } from '../../plan/PlanService';
import { matchesGlob } from '../../plan/rules/glob';

/** A dataset a campaign selector matched. */
export type SelectedDataset = {
  entityRef: string;
  ownerRef: string | null;
  sourceConnection: string | null;
};

const PAGE = 500;

const normalize = (ref: string, defaultKind: string) =>
  stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  );

/** Whether one dataset entity matches the parts of the selector the catalog cannot filter. */
function matches(entity: Entity, selector: CampaignSelector): boolean {
  if (selector.owners?.length) {
    const owner = datasetOwnerRef(entity);
    if (!owner || !selector.owners.includes(owner)) return false;
  }
  if (selector.systems?.length) {
    const system = entity.spec?.system;
    if (
      typeof system !== 'string' ||
      !selector.systems.includes(normalize(system, 'system'))
    ) {
      return false;
    }
  }
  if (!matchesGlob(selector.nameGlob, entity.metadata.name)) {
    return false;
  }
  if (selector.connections?.length || selector.schemas?.length) {
    let location;
    try {
      location = getDatasetLocation(entity);
    } catch {
      return false;
    }
    if (!location) return false;
    if (
      selector.connections?.length &&
      !selector.connections.includes(location.connection)
    ) {
      return false;
    }
    if (
      selector.schemas?.length &&
      !selector.schemas.includes(location.schema ?? '')
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The dataset entities a campaign selector matches, read from the catalog page by page
 * as the caller (so nobody reaches datasets they cannot see). Tags are filtered by the
 * catalog; owners, systems, locations and the name glob here.
 */
export async function selectDatasets(
  catalog: CatalogService,
  selector: CampaignSelector,
  credentials: BackstageCredentials,
): Promise<SelectedDataset[]> {
  const filter: Record<string, string | string[]> = {
    kind: 'resource',
    'spec.type': DATASET_RESOURCE_TYPE,
  };
  if (selector.tags?.length) filter['metadata.tags'] = selector.tags;
  const normalized: CampaignSelector = {
    ...selector,
    owners: selector.owners?.map(o => normalize(o, 'group')),
    systems: selector.systems?.map(s => normalize(s, 'system')),
  };
  const selected: SelectedDataset[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor ? { cursor, limit: PAGE } : { filter, limit: PAGE },
      { credentials },
    );
    for (const entity of page.items) {
      if (!matches(entity, normalized)) continue;
      let connection: string | null = null;
      try {
        connection = getDatasetLocation(entity)?.connection ?? null;
      } catch {
        // Planning names what is wrong with the annotation: the dataset is blocked.
      }
      selected.push({
        entityRef: stringifyEntityRef(entity),
        ownerRef: datasetOwnerRef(entity) ?? null,
        sourceConnection: connection,
      });
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return selected;
}
