/*
 * The catalog of `yarn bench:fleet`'s instances: the test utilities' in-memory catalog,
 * but with an entity read by its ref in one lookup, as the real catalog reads it (one
 * indexed row). The in-memory catalog builds a map of every entity on each
 * `getEntityByRef`: at 10,000 datasets that is 10 ms of CPU and a 10,000-entry map of
 * garbage per plan, which the benchmark would otherwise count as the plugin's own
 * time and memory. Each lookup parses the entity from its JSON, as the real catalog
 * parses the row it read, so callers never share one object.
 */
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';

export class FleetCatalog extends InMemoryCatalogClient {
  private readonly byRef: Map<string, string>;

  constructor(entities: Entity[]) {
    super({ entities });
    this.byRef = new Map(
      entities.map(e => [stringifyEntityRef(e), JSON.stringify(e)]),
    );
  }

  override async getEntityByRef(
    entityRef: string | CompoundEntityRef,
  ): Promise<Entity | undefined> {
    const json = this.byRef.get(stringifyEntityRef(parseEntityRef(entityRef)));
    return json === undefined ? undefined : JSON.parse(json);
  }
}
