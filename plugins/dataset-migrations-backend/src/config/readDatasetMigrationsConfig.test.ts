import { ConfigReader } from '@backstage/config';
import { readDatasetMigrationsConfig } from './readDatasetMigrationsConfig';

const read = (datasetMigrations: unknown) =>
  readDatasetMigrationsConfig(new ConfigReader({ datasetMigrations } as any));

const warehouse = {
  client: 'better-sqlite3',
  connection: { filename: '/tmp/w.sqlite' },
};

describe('readDatasetMigrationsConfig', () => {
  it('accepts an absent section', () => {
    const config = readDatasetMigrationsConfig(new ConfigReader({}));
    expect(config.connections.size).toBe(0);
    expect(config.rules).toEqual([]);
  });

  it('reads connections and rules with defaults filled in', () => {
    const config = read({
      connections: {
        warehouse,
        pg: { client: 'pg', connection: 'postgresql://u:p@h/db' },
      },
      rules: [
        {
          name: 'snake',
          match: { connection: 'warehouse' },
          renameColumns: 'snake_case',
          target: { table: '{table:snake}' },
        },
      ],
    });
    expect([...config.connections.keys()]).toEqual(['warehouse', 'pg']);
    expect(config.connections.get('pg')?.client).toBe('pg');
    expect(config.rules[0]).toMatchObject({
      name: 'snake',
      allowDestructive: false,
      computed: [],
    });
  });

  it.each([
    [
      'an unknown client',
      { connections: { w: { client: 'oracle', connection: 'x' } } },
      /datasetMigrations\.connections\.w\.client must be one of "better-sqlite3", "pg" or "mysql2"/,
    ],
    [
      'a SQLite connection without filename',
      { connections: { w: { client: 'better-sqlite3', connection: {} } } },
      /datasetMigrations\.connections\.w\.connection\.filename is required/,
    ],
    [
      'an unknown key',
      { connections: { w: { ...warehouse, pool: 3 } } },
      /datasetMigrations\.connections\.w/,
    ],
    [
      'a drop without allowDestructive',
      { connections: { w: warehouse }, rules: [{ name: 'd', drop: true }] },
      /datasetMigrations\.rules\[0\]\.drop drops data: set allowDestructive: true/,
    ],
    [
      'a rule naming a missing connection',
      {
        connections: { w: warehouse },
        rules: [{ name: 't', target: { connection: 'lake' } }],
      },
      /datasetMigrations\.rules\[0\]\.target\.connection names connection "lake".*known: w/,
    ],
    [
      'a cast that is not a type name',
      {
        connections: { w: warehouse },
        rules: [{ name: 'c', cast: 'int; drop table x' }],
      },
      /datasetMigrations\.rules\[0\]\.cast must be a type name/,
    ],
    [
      'a rule without a name',
      { connections: { w: warehouse }, rules: [{ cast: 'bigint' }] },
      /datasetMigrations\.rules\[0\]\.name/,
    ],
  ])('refuses %s, naming the key', (_what, value, message) => {
    expect(() => read(value)).toThrow(message);
  });
});
