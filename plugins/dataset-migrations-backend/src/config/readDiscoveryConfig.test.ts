import { ConfigReader } from '@backstage/config';
import { readDatasetMigrationsConfig } from './readDatasetMigrationsConfig';
import {
  DEFAULT_DISCOVERY_SCHEDULE,
  readDiscoveryConfig,
} from './readDiscoveryConfig';

const connections = {
  warehouse: {
    client: 'better-sqlite3',
    connection: { filename: '/tmp/w.sqlite' },
  },
  pg: {
    client: 'pg',
    connection: 'postgresql://u:p@h/db',
    allowedOwners: ['group:default/data-platform', 'sales'],
  },
};

const read = (discovery: unknown) => {
  const config = new ConfigReader({
    datasetMigrations: { connections, discovery },
  } as any);
  return readDiscoveryConfig(
    config,
    readDatasetMigrationsConfig(config).connections,
  );
};

describe('readDiscoveryConfig', () => {
  it('reads nothing when the key is absent', () => {
    expect(read(undefined)).toEqual([]);
  });

  it('reads an entry with owners normalized and the default schedule', () => {
    const [entry] = read([
      {
        connection: 'pg',
        schemas: ['sales_*'],
        tables: ['orders*'],
        owners: [{ match: 'sales_*.*', owner: 'sales' }],
        defaultOwner: 'data-platform',
        system: 'data-warehouse',
      },
    ]);
    expect(entry).toEqual({
      connection: 'pg',
      schemas: ['sales_*'],
      tables: ['orders*'],
      exclude: [],
      owners: [{ match: 'sales_*.*', owner: 'group:default/sales' }],
      defaultOwner: 'group:default/data-platform',
      system: 'system:default/data-warehouse',
      schedule: DEFAULT_DISCOVERY_SCHEDULE,
    });
  });

  it('reads a schedule with Backstage durations', () => {
    const [entry] = read([
      {
        connection: 'warehouse',
        defaultOwner: 'data-platform',
        schedule: { frequency: { minutes: 5 }, timeout: 'PT1M' },
      },
    ]);
    expect(entry.schedule).toMatchObject({
      frequency: { minutes: 5 },
      timeout: { minutes: 1 },
    });
  });

  it.each([
    [
      'a list',
      { connection: 'warehouse' },
      /datasetMigrations\.discovery must be a list/,
    ],
    [
      'a missing defaultOwner',
      [{ connection: 'warehouse' }],
      /datasetMigrations\.discovery\[0\]\.defaultOwner is required: the owner of tables no owners rule matches/,
    ],
    [
      'a missing connection',
      [{ defaultOwner: 'a' }],
      /discovery\[0\]\.connection is required/,
    ],
    [
      'an unknown connection',
      [{ connection: 'lake', defaultOwner: 'a' }],
      /discovery\[0\]\.connection names "lake", which is not under datasetMigrations\.connections \(known: warehouse, pg\)/,
    ],
    [
      'a repeated connection',
      [
        { connection: 'warehouse', defaultOwner: 'a' },
        { connection: 'warehouse', defaultOwner: 'b' },
      ],
      /discovery\[1\]\.connection repeats "warehouse" of datasetMigrations\.discovery\[0\]; merge the two entries/,
    ],
    [
      'a bad owner ref',
      [
        {
          connection: 'warehouse',
          defaultOwner: 'a',
          owners: [{ match: '*', owner: 'group:' }],
        },
      ],
      /discovery\[0\]\.owners\.0\.owner must be entity references of owners such as group:default\/data-platform/,
    ],
    [
      'an owner the connection does not accept',
      [{ connection: 'pg', defaultOwner: 'analytics' }],
      /discovery\[0\]\.defaultOwner is group:default\/analytics, which connection "pg" does not accept \(its allowedOwners: group:default\/data-platform, group:default\/sales\)/,
    ],
    [
      'schemas on SQLite',
      [{ connection: 'warehouse', defaultOwner: 'a', schemas: ['main'] }],
      /discovery\[0\]\.schemas does not apply: connection "warehouse" is SQLite/,
    ],
    [
      'an empty pattern list',
      [{ connection: 'warehouse', defaultOwner: 'a', tables: [] }],
      /discovery\[0\]\.tables must list at least one pattern/,
    ],
    [
      'an unknown key',
      [{ connection: 'warehouse', defaultOwner: 'a', owner: 'b' }],
      /discovery\[0\] Unrecognized key: "owner"/,
    ],
    [
      'a bad system ref',
      [{ connection: 'warehouse', defaultOwner: 'a', system: 'group:' }],
      /discovery\[0\]\.system must be a system entity reference/,
    ],
    [
      'a bad schedule',
      [
        {
          connection: 'warehouse',
          defaultOwner: 'a',
          schedule: { frequency: 'often' },
        },
      ],
      /discovery\[0\]\.schedule must be a schedule such as \{ frequency: \{ minutes: 30 \}/,
    ],
  ])('refuses %s, naming the key and the fix', (_what, discovery, message) => {
    expect(() => read(discovery)).toThrow(message);
  });
});
