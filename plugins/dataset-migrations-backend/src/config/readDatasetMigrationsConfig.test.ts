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

  it('reads the postgres_fdw pairs, none by default', () => {
    const pg = (database: string) => ({
      client: 'pg',
      connection: { host: 'db', user: 'u', password: 'p', database },
    });
    expect(
      read({ connections: { warehouse } }).compatibility.postgresFdw,
    ).toEqual([]);
    // Read back as written: the defaults stay unset, the overrides are kept.
    const postgresFdw = [
      { source: 'app', target: 'archive' },
      {
        source: 'archive',
        target: 'app',
        host: 'app.internal',
        port: 6432,
        user: 'reader',
        password: 's?cret',
      },
    ];
    const config = read({
      connections: { app: pg('app'), archive: pg('archive') },
      compatibility: { postgresFdw },
    });
    expect(config.compatibility.postgresFdw).toEqual(postgresFdw);
  });

  const pgPair = {
    app: { client: 'pg', connection: 'postgresql://u:p@h/app' },
    archive: { client: 'pg', connection: 'postgresql://u:p@h/archive' },
  };
  it.each([
    [
      'a postgres_fdw pair naming a missing connection',
      {
        connections: pgPair,
        compatibility: {
          postgresFdw: [{ source: 'app', target: 'lake' }],
        },
      },
      /datasetMigrations\.compatibility\.postgresFdw\[0\]\.target names connection "lake", which is not under datasetMigrations\.connections \(known: app, archive\)/,
    ],
    [
      'a postgres_fdw pair with a connection that is not pg',
      {
        connections: { ...pgPair, w: warehouse },
        compatibility: { postgresFdw: [{ source: 'w', target: 'app' }] },
      },
      /datasetMigrations\.compatibility\.postgresFdw\[0\]\.source names connection "w", whose client is better-sqlite3; .*both connections must have client: pg/,
    ],
    [
      'a postgres_fdw pair from a connection to itself',
      {
        connections: pgPair,
        compatibility: { postgresFdw: [{ source: 'app', target: 'app' }] },
      },
      /datasetMigrations\.compatibility\.postgresFdw\[0\] names "app" as both source and target; .*remove the entry/,
    ],
    [
      'a repeated postgres_fdw pair',
      {
        connections: pgPair,
        compatibility: {
          postgresFdw: [
            { source: 'app', target: 'archive' },
            { source: 'app', target: 'archive' },
          ],
        },
      },
      /datasetMigrations\.compatibility\.postgresFdw\[1\] repeats the pair app -> archive of datasetMigrations\.compatibility\.postgresFdw\[0\]/,
    ],
    [
      'a postgres_fdw pair with an unknown key',
      {
        connections: pgPair,
        compatibility: {
          postgresFdw: [{ source: 'app', target: 'archive', sslmode: 'x' }],
        },
      },
      /datasetMigrations\.compatibility\.postgresFdw\[0\]/,
    ],
    [
      'postgres_fdw that is not a list',
      {
        connections: pgPair,
        compatibility: { postgresFdw: { source: 'app', target: 'archive' } },
      },
      /datasetMigrations\.compatibility\.postgresFdw must be a list of \{ source, target \} connection pairs/,
    ],
    [
      'an unknown compatibility key',
      { connections: pgPair, compatibility: { postgresFDW: [] } },
      /datasetMigrations\.compatibility\.postgresFDW is not a known key; the only one is postgresFdw/,
    ],
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
    [
      'allowedOwners that are not entity references',
      {
        connections: {
          w: { ...warehouse, allowedOwners: ['group:default/a', ':'] },
        },
      },
      /datasetMigrations\.connections\.w\.allowedOwners\.1 must be entity references of owners/,
    ],
    [
      'a statement timeout of 0',
      { connections: { w: warehouse }, limits: { statementTimeoutSeconds: 0 } },
      /datasetMigrations\.limits\.statementTimeoutSeconds must be at least 1 second/,
    ],
    [
      'a fractional per-user plan limit',
      { connections: { w: warehouse }, limits: { plansPerUser: 1.5 } },
      /datasetMigrations\.limits\.plansPerUser must be a whole number/,
    ],
    [
      'an unknown limit',
      { connections: { w: warehouse }, limits: { streams: 3 } },
      /datasetMigrations\.limits/,
    ],
  ])('refuses %s, naming the key', (_what, value, message) => {
    expect(() => read(value)).toThrow(message);
  });

  it.each([
    ['pg', 'postgres://u:p#ss@db.example.com:5432/warehouse', 'p#ss'],
    ['pg', 'db.example.com:5432', 'example'],
    ['mysql2', 'u:p#ss@tcp(db:3306)/warehouse', 'p#ss'],
    ['pg', 'mysql://u:s3cret@db/warehouse', 's3cret'],
    ['better-sqlite3', '/srv/w.sqlite', '/srv/w.sqlite'],
  ])(
    'refuses a %s connection string that is not its URL, naming the key but not the value: %s',
    (client, connection, secret) => {
      let message = '';
      try {
        read({ connections: { lake: { client, connection } } });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(
        /datasetMigrations\.connections\.lake\.connection /,
      );
      expect(message).not.toContain(secret);
    },
  );

  it('reads allowedOwners as full entity refs, and none as any owner', () => {
    const config = read({
      connections: {
        w: { ...warehouse, allowedOwners: ['data-platform', 'user:ada'] },
        open: warehouse,
      },
    });
    expect(config.connections.get('w')?.allowedOwners).toEqual([
      'group:default/data-platform',
      'user:default/ada',
    ]);
    expect(config.connections.get('open')?.allowedOwners).toBeUndefined();
  });

  it('reads the limits with their defaults', () => {
    expect(read({ connections: { w: warehouse } }).limits).toEqual({
      statementTimeoutMs: 30_000,
      plansPerUser: 2,
      eventStreamsPerUser: 10,
    });
    expect(
      read({
        connections: { w: warehouse },
        limits: {
          statementTimeoutSeconds: 5,
          plansPerUser: 1,
          eventStreamsPerUser: 3,
        },
      }).limits,
    ).toEqual({
      statementTimeoutMs: 5000,
      plansPerUser: 1,
      eventStreamsPerUser: 3,
    });
  });

  it('reads the cleanup grace period as a Backstage duration, or in hours as before; not both', () => {
    const grace = (executor: unknown) =>
      read({ connections: { w: warehouse }, executor }).executor.cleanupGraceMs;
    expect(grace({})).toBe(7 * 24 * 3600_000);
    expect(grace({ cleanupGrace: { days: 2, hours: 3 } })).toBe(51 * 3600_000);
    expect(grace({ cleanupGrace: 'PT90M' })).toBe(90 * 60_000);
    expect(grace({ cleanupGraceHours: 5 })).toBe(5 * 3600_000);
    expect(() => grace({ cleanupGrace: 'soon' })).toThrow(
      /datasetMigrations\.executor\.cleanupGrace must be a duration such as/,
    );
    expect(() =>
      grace({ cleanupGrace: { days: 1 }, cleanupGraceHours: 5 }),
    ).toThrow(
      /datasetMigrations\.executor\.cleanupGrace and datasetMigrations\.executor\.cleanupGraceHours set the same thing; keep datasetMigrations\.executor\.cleanupGrace only/,
    );
  });

  it('reads every duration as a Backstage duration or its older number key, within bounds', () => {
    const settings = read({
      connections: { w: warehouse },
      executor: {
        lease: { seconds: 45 },
        retryBase: 'PT0.5S',
        retryCap: { minutes: 2 },
        lockTimeout: { seconds: 3 },
      },
      limits: { statementTimeout: { seconds: 10 } },
    });
    expect(settings.executor).toMatchObject({
      leaseMs: 45_000,
      retryBaseMs: 500,
      retryCapMs: 120_000,
      lockTimeoutMs: 3000,
    });
    expect(settings.limits.statementTimeoutMs).toBe(10_000);
    expect(
      read({ connections: { w: warehouse }, executor: { leaseSeconds: 20 } })
        .executor.leaseMs,
    ).toBe(20_000);
    const settingsWith = (executor: unknown) => () =>
      read({ connections: { w: warehouse }, executor });
    expect(settingsWith({ lease: { hours: 2 } })).toThrow(
      /datasetMigrations\.executor\.lease must be between 1 and 3600 seconds/,
    );
    expect(settingsWith({ lockTimeout: 'PT1.5S' })).toThrow(
      /must be whole seconds/,
    );
    expect(settingsWith({ lease: { seconds: 40 }, leaseSeconds: 40 })).toThrow(
      /keep datasetMigrations\.executor\.lease only/,
    );
  });

  it('reads the concurrency caps with their defaults and per-connection overrides, naming a bad key', () => {
    expect(read({ connections: { w: warehouse } }).caps).toEqual({
      perSourceConnection: 8,
      perTargetConnection: 8,
      perOwner: 8,
      connections: {},
    });
    expect(
      read({
        connections: { w: warehouse },
        caps: {
          perSourceConnection: 2,
          perOwner: 1,
          connections: { w: { maxRunning: 3 } },
        },
      }).caps,
    ).toEqual({
      perSourceConnection: 2,
      perTargetConnection: 8,
      perOwner: 1,
      connections: { w: { maxRunning: 3 } },
    });
    const capsOf = (caps: unknown) => () =>
      read({ connections: { w: warehouse }, caps });
    expect(capsOf({ perOwner: 0 })).toThrow(
      /datasetMigrations\.caps\.perOwner must be at least 1/,
    );
    expect(capsOf({ perSourceConnection: 1.5 })).toThrow(
      /datasetMigrations\.caps\.perSourceConnection must be a whole number/,
    );
    expect(capsOf({ perTargetConnection: 'many' })).toThrow(
      /datasetMigrations\.caps\.perTargetConnection must be a number/,
    );
    expect(capsOf({ connections: { w: { maxRunning: -1 } } })).toThrow(
      /datasetMigrations\.caps\.connections\.w\.maxRunning must be at least 1/,
    );
    expect(capsOf({ connections: { nope: { maxRunning: 2 } } })).toThrow(
      /datasetMigrations\.caps\.connections\.nope names a connection that is not under datasetMigrations\.connections \(known: w\)/,
    );
    expect(capsOf({ perConnection: 2 })).toThrow(/datasetMigrations\.caps/);
  });
});
