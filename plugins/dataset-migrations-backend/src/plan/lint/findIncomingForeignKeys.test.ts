import type {
  Engine,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  AgentConnection,
  DatasetMigrationRule,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { rule } from '../../__testUtils__/rule';
import { SqlAgent } from '../SqlAgent';

const CONNECTIONS: AgentConnection[] = [
  { name: 'lite', engine: 'sqlite', databaseKey: 'sqlite:/a.sqlite' },
  {
    name: 'pg',
    engine: 'postgres',
    databaseKey: 'pg:h/app',
    defaultSchema: 'public',
  },
  {
    name: 'pg2',
    engine: 'postgres',
    databaseKey: 'pg:h/other',
    defaultSchema: 'public',
  },
  {
    name: 'maria',
    engine: 'mysql',
    databaseKey: 'mysql:h:3306',
    defaultSchema: 'shop',
  },
];

function parent(
  connection: string,
  engine: Engine,
  idType = 'integer',
): TableSchema {
  const schema = { sqlite: undefined, mysql: 'shop', postgres: 'public' }[
    engine
  ];
  return {
    connection,
    engine,
    ...(schema ? { schema } : {}),
    table: 'parent',
    columns: [
      { name: 'id', type: idType, isNullable: false, defaultValue: null },
      {
        name: 'code',
        type: 'varchar(8)',
        isNullable: false,
        defaultValue: null,
      },
    ],
    primaryKey: ['id'],
    indexes: [],
    rowEstimate: 10,
    referencedBy: [
      {
        name: 'child_parent',
        from: { ...(schema ? { schema } : {}), table: 'child' },
        columns: ['parent_id'],
        references: {
          ...(schema ? { schema } : {}),
          table: 'parent',
          columns: ['id'],
        },
        onDelete: 'CASCADE',
        onUpdate: 'NO ACTION',
      },
    ],
  };
}

const plan = (source: TableSchema, rules: DatasetMigrationRule[]) =>
  new SqlAgent().createPlan({
    entityRef: 'resource:default/parent',
    source,
    connections: CONNECTIONS,
    rules,
  });

const incoming = (p: Awaited<ReturnType<typeof plan>>) =>
  p.findings.filter(f => f.code === 'incoming-foreign-key');

describe('findings for foreign keys that reference the migrated table', () => {
  it('a same-database move on PostgreSQL or MariaDB re-points them: a warning naming the table and key', async () => {
    for (const [connection, engine] of [
      ['pg', 'postgres'],
      ['maria', 'mysql'],
    ] as const) {
      const p = await plan(parent(connection, engine), [
        rule({ name: 'v2', target: { table: 'parent_v2' } }),
      ]);
      expect(incoming(p)).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringMatching(
            /^Foreign key child_parent of \w+\.child \(parent_id\) references \w+\.parent \(id\): at cutover it is re-pointed to \w+\.parent_v2 \(id\)/,
          ),
        }),
      ]);
      expect(p.artifacts.incomingForeignKeys).toHaveLength(2);
      expect(p.artifacts.incomingForeignKeysRollback).toHaveLength(2);
    }
  });

  it.each([
    [
      'another engine',
      parent('pg', 'postgres'),
      'maria',
      /another database.*Drop it \(ALTER TABLE "public"\."child" DROP CONSTRAINT "child_parent"\) and plan again; re-create it on maria/,
    ],
    [
      'another PostgreSQL database',
      parent('pg', 'postgres'),
      'pg2',
      /cannot reference a table in another database/,
    ],
    [
      'SQLite, same file',
      parent('lite', 'sqlite'),
      'lite',
      /SQLite cannot alter a foreign key.*ON DELETE CASCADE, delete the rows of child/,
    ],
  ])(
    'blocks a move to %s, and says what to do',
    async (_what, source, to, message) => {
      const p = await plan(source, [
        rule({ name: 'move', target: { connection: to, table: 'parent_v2' } }),
      ]);
      expect(incoming(p)).toEqual([
        expect.objectContaining({
          severity: 'blocking',
          message: expect.stringMatching(message),
        }),
      ]);
      expect(incoming(p)[0].message).toMatch(
        /child_parent of (public\.)?child/,
      );
      expect(incoming(p)[0].message).toMatch(/plan again/);
      expect(p.artifacts.incomingForeignKeys).toBeUndefined();
    },
  );

  it('blocks when the referenced column is dropped or changes type or sign', async () => {
    const dropped = await plan(parent('pg', 'postgres'), [
      rule({
        name: 'drop',
        match: { column: 'id' },
        drop: true,
        allowDestructive: true,
      }),
      rule({ name: 'v2', target: { table: 'parent_v2' } }),
    ]);
    expect(incoming(dropped)[0]).toMatchObject({ severity: 'blocking' });
    expect(incoming(dropped)[0].message).toMatch(/has no column for id/);

    const cast = await plan(parent('pg', 'postgres'), [
      rule({ name: 'wide', match: { column: 'id' }, cast: 'bigint' }),
      rule({ name: 'v2', target: { table: 'parent_v2' } }),
    ]);
    expect(incoming(cast)[0].message).toMatch(
      /id becomes bigint \(it is integer/,
    );

    // A same-engine move keeps `int unsigned` exactly, so the key can move with it.
    const unsigned = await plan(parent('maria', 'mysql', 'int(10) unsigned'), [
      rule({ name: 'v2', target: { table: 'parent_v2' } }),
    ]);
    expect(incoming(unsigned)[0]).toMatchObject({ severity: 'warning' });
    // Cast to a signed type, it could not.
    const signed = await plan(parent('maria', 'mysql', 'int(10) unsigned'), [
      rule({ name: 'signed', match: { column: 'id' }, cast: 'int' }),
      rule({ name: 'v2', target: { table: 'parent_v2' } }),
    ]);
    expect(incoming(signed)[0]).toMatchObject({ severity: 'blocking' });
  });

  it('blocks a reference to a key the new table does not have', async () => {
    const source = parent('pg', 'postgres');
    source.referencedBy![0].references.columns = ['code'];
    const p = await plan(source, [
      rule({ name: 'v2', target: { table: 'parent_v2' } }),
    ]);
    expect(incoming(p)[0].message).toMatch(
      /no primary key or unique index on \(code\)/,
    );
    source.indexes = [
      { name: 'parent_code', columns: ['code'], isUnique: true },
    ];
    const keyed = await plan(source, [
      rule({ name: 'v2', target: { table: 'parent_v2' } }),
    ]);
    expect(incoming(keyed)[0].severity).toBe('warning');
  });
});
