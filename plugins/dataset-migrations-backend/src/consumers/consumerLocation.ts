import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  type Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { CONSUMER_SQL_ANNOTATION } from '@internal/backstage-plugin-dataset-migrations-common';
import { pathToFileURL } from 'node:url';

/** Where a consumer's SQL is, or why it cannot be read. */
export type ConsumerGlob =
  | { globUrl: string; baseUrl: string; error?: undefined }
  | { globUrl?: undefined; baseUrl?: undefined; error: string };

/**
 * The URL a location annotation (`url:https://…`, `file:/…`) points at: the catalog
 * records file locations as paths, which the URL reader reads as `file:` URLs.
 */
function locationUrl(ref: string): string | undefined {
  try {
    const { type, target } = parseLocationRef(ref);
    if (type === 'url') return target;
    if (type === 'file') return pathToFileURL(target).toString();
  } catch {
    // An annotation that is no location ref: treated as absent.
  }
  return undefined;
}

/**
 * The glob URL of a consumer's SQL: its `dataset-migrations.io/sql` annotation,
 * relative to the entity's source location, or else to the catalog file it was
 * registered from (`backstage.io/managed-by-location`).
 */
export function consumerGlob(
  entity: Entity,
  integrations: ScmIntegrationRegistry,
): ConsumerGlob {
  const annotations = entity.metadata.annotations ?? {};
  const glob = annotations[CONSUMER_SQL_ANNOTATION]?.trim();
  if (!glob) {
    return {
      error: `It declares no SQL: add the annotation ${CONSUMER_SQL_ANNOTATION} with a glob of its query files (e.g. queries/*.sql), relative to its catalog file`,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(glob)) {
    return {
      error: `Its annotation ${CONSUMER_SQL_ANNOTATION} is "${glob}", a URL; give a path relative to its source location, such as queries/*.sql`,
    };
  }
  const source = annotations[ANNOTATION_SOURCE_LOCATION];
  const managedBy = annotations[ANNOTATION_LOCATION];
  const baseUrl =
    (source && locationUrl(source)) || (managedBy && locationUrl(managedBy));
  if (!baseUrl) {
    return {
      error: `It has no source location to read ${glob} from: register it from a catalog file or give it the annotation ${ANNOTATION_SOURCE_LOCATION}`,
    };
  }
  return {
    globUrl: integrations.resolveUrl({ url: glob, base: baseUrl }),
    baseUrl,
  };
}
