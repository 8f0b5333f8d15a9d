import type { Entity } from '@backstage/catalog-model';
import {
  formatDatasetLocation,
  getDatasetLocation,
  isDatasetEntity,
  parseDatasetLocation,
} from './annotations';

describe('parseDatasetLocation', () => {
  it('parses connection, schema and table', () => {
    expect(parseDatasetLocation('warehouse:public.play_events')).toEqual({
      connection: 'warehouse',
      schema: 'public',
      table: 'play_events',
    });
  });

  it('parses a schema-less SQLite location and keeps later dots in the table', () => {
    expect(parseDatasetLocation('demo:customerAccounts')).toEqual({
      connection: 'demo',
      schema: undefined,
      table: 'customerAccounts',
    });
    expect(parseDatasetLocation('pg:s.t.with.dots').table).toBe('t.with.dots');
  });

  it('keeps unicode and reserved words, which the dialects quote', () => {
    expect(parseDatasetLocation('pg:public.order').table).toBe('order');
    expect(parseDatasetLocation('pg:public.Bestellübersicht').table).toBe(
      'Bestellübersicht',
    );
  });

  it.each([
    ['no connection', 'customerAccounts', /has no connection/],
    ['bad connection', '9x:t', /invalid connection name/],
    ['empty table', 'pg:public.', /empty or over-long table/],
    ['quote in table', 'pg:public.a"b', /cannot be quoted safely/],
    ['backtick in schema', 'pg:a`b.t', /schema name with quote/],
    ['control char', 'pg:t\u0001', /cannot be quoted safely/],
  ])('refuses %s', (_what, value, message) => {
    expect(() => parseDatasetLocation(value)).toThrow(message);
  });

  it('round-trips through formatDatasetLocation', () => {
    for (const v of ['a:t', 'a:s.t']) {
      expect(formatDatasetLocation(parseDatasetLocation(v))).toBe(v);
    }
  });
});

describe('dataset entities', () => {
  const entity = (kind: string, type: string, annotation?: string): Entity => {
    const annotations: Record<string, string> = {};
    if (annotation) annotations['dataset-migrations.io/location'] = annotation;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x', annotations },
      spec: { type },
    };
  };

  it('recognises Resource entities of type dataset only', () => {
    expect(isDatasetEntity(entity('Resource', 'dataset'))).toBe(true);
    expect(isDatasetEntity(entity('Component', 'dataset'))).toBe(false);
    expect(isDatasetEntity(entity('Resource', 'bucket'))).toBe(false);
  });

  it('reads the location annotation when present', () => {
    expect(getDatasetLocation(entity('Resource', 'dataset'))).toBeUndefined();
    expect(
      getDatasetLocation(entity('Resource', 'dataset', 'w:orders')),
    ).toEqual({ connection: 'w', schema: undefined, table: 'orders' });
  });
});
