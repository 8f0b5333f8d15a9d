import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import type { DatasetNewHome } from '@internal/backstage-plugin-dataset-migrations-common';
import { DatasetNewHomeProcessor } from './DatasetNewHomeProcessor';

const dataset = (location?: string, kind = 'Resource'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name: 'page-views',
    annotations: {
      'backstage.io/managed-by-location': 'file:/catalog-info.yaml',
      ...(location ? { 'dataset-migrations.io/location': location } : {}),
    },
  },
  spec: { type: 'dataset', owner: 'group:default/data-platform' },
});

const MOVED: DatasetNewHome = {
  movedFrom: 'warehouse:page_views',
  location: 'warehouse:page_view_events',
  migrationId: '11111111-1111-4111-8111-111111111111',
  movedAt: '2026-11-23T10:00:00.000Z',
};

/** Runs the processor's pre-processing as the catalog calls it. */
const preProcess = (processor: CatalogProcessor, entity: Entity) =>
  processor.preProcessEntity!(
    entity,
    { type: 'url', target: 'file:/catalog-info.yaml' },
    () => {},
    { type: 'url', target: 'file:/catalog-info.yaml' },
    { get: async () => undefined, set: async () => {} },
  );

describe('DatasetNewHomeProcessor', () => {
  it('points a moved dataset at its new home and names the migration', async () => {
    const asked: Array<[string, string]> = [];
    const processor = new DatasetNewHomeProcessor({
      logger: mockServices.logger.mock(),
      lookup: async (entityRef, location) => {
        asked.push([entityRef, location]);
        return MOVED;
      },
    });
    const entity = dataset('warehouse:page_views');
    const processed = await preProcess(processor, entity);
    expect(asked).toEqual([
      ['resource:default/page-views', 'warehouse:page_views'],
    ]);
    expect(processed.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'file:/catalog-info.yaml',
      'dataset-migrations.io/location': 'warehouse:page_view_events',
      'dataset-migrations.io/moved-by': MOVED.migrationId,
    });
    // The entity as read is left as it was.
    expect(
      entity.metadata.annotations?.['dataset-migrations.io/location'],
    ).toBe('warehouse:page_views');
  });

  it('leaves datasets nothing moved, and other entities, as they are, without asking for the latter', async () => {
    const asked: string[] = [];
    const processor = new DatasetNewHomeProcessor({
      logger: mockServices.logger.mock(),
      lookup: async entityRef => {
        asked.push(entityRef);
        return null;
      },
    });
    const unmoved = dataset('warehouse:page_views');
    expect(await preProcess(processor, unmoved)).toBe(unmoved);
    const component = dataset('warehouse:page_views', 'Component');
    expect(await preProcess(processor, component)).toBe(component);
    const unlocated = dataset();
    expect(await preProcess(processor, unlocated)).toBe(unlocated);
    expect(asked).toEqual(['resource:default/page-views']);
  });

  it('keeps the location and warns when the plugin cannot be asked', async () => {
    const logger = mockServices.logger.mock();
    const processor = new DatasetNewHomeProcessor({
      logger,
      lookup: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
      },
    });
    const entity = dataset('warehouse:page_views');
    expect(await preProcess(processor, entity)).toBe(entity);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /new home of resource:default\/page-views; its location stays warehouse:page_views: connect ECONNREFUSED/,
      ),
      { entityRef: 'resource:default/page-views' },
    );
  });
});
