import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type {
  ConsumerFile,
  Engine,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationConsumerAgent } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import {
  checkConsumerFile,
  WRITES_NOT_CHECKED,
} from '../consumers/checkConsumerFile';
import { consumerMove } from '../consumers/consumerMove';
import { whyNoWriteParity } from '../consumers/oldNameWrites';
import { paritySides } from '../consumers/paritySides';
import { SqlConsumerAgent, verifyParity } from '../consumers/rewrite';
import { allRows } from '../dialects/rawRows';
import { moveConnections } from '../__testUtils__/engineConnections';
import { planMove } from '../__testUtils__/planFor';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { driveMigration, testRunner } from '../__testUtils__/testRunner';
import { createTestMigration, testStore } from '../__testUtils__/testStore';
import type { MigrationRecord } from '../store/MigrationStore';

jest.setTimeout(180_000);

const ENGINE: Record<TestDatabaseId, Engine> = {
  SQLITE_3: 'sqlite',
  POSTGRES_15: 'postgres',
  MYSQL_8: 'mysql',
} as Record<TestDatabaseId, Engine>;

/** A consumer's writes to the old table, quoted as its engine wants. */
const consumerSql = (engine: Engine) => {
  const q = (name: string) =>
    engine === 'mysql' ? `\`${name}\`` : `"${name}"`;
  return `INSERT INTO ${q('customerAccounts')} (id, ${q(
    'fullName',
  )}) VALUES (1000, 'New person');
UPDATE ${q('customerAccounts')} SET ${q('fullName')} = 'Renamed' WHERE id <= 3;
DELETE FROM ${q('customerAccounts')} WHERE id > 15;
`;
};

/** Every table and view of the connection's database, with its rows in a stable order. */
async function snapshot(knex: Knex, engine: Engine) {
  const list: Record<Engine, string> = {
    sqlite: `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`,
    postgres: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
    mysql: `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`,
  };
  const names = allRows(await knex.raw(list[engine]))
    .map(r => String(r.name))
    .sort();
  const tables: Record<string, string[]> = {};
  for (const name of names) {
    const rows = (await knex.from(name).select('*')) as unknown[];
    tables[name] = rows.map(r => JSON.stringify(r)).sort();
  }
  return tables;
}

describe('consumer writes proven by parity in a real migration', () => {
  const databases = createTestDatabases();

  /** `customerAccounts` (20 rows) moved to `customer_accounts`, driven to awaiting cleanup. */
  async function migrated(
    sourceId: TestDatabaseId,
    targetId: TestDatabaseId | 'same',
  ): Promise<{
    registry: ConnectionRegistry;
    record: MigrationRecord;
    close: () => Promise<void>;
  }> {
    const registry = await moveConnections(databases, sourceId, targetId);
    const src = registry.get('src');
    await src.schema.dropTableIfExists('customerAccounts');
    await src.schema.createTable('customerAccounts', t => {
      t.integer('id').primary();
      t.string('fullName', 100).notNullable();
    });
    await src('customerAccounts').insert(
      Array.from({ length: 20 }, (_, i) => ({
        id: i + 1,
        fullName: `Person ${i + 1}`,
      })),
    );
    const plan = await planMove(
      registry,
      { connection: 'src', table: 'customerAccounts' },
      {
        connection: targetId === 'same' ? 'src' : 'dst',
        table: '{table:snake}',
      },
      { renameColumns: 'snake_case' },
    );
    const { store, destroy } = await testStore();
    const { id } = await createTestMigration(store, plan);
    const record = await driveMigration(testRunner(store, registry), store, id);
    expect(record.status).toBe('awaiting_cleanup');
    return {
      registry,
      record,
      close: async () => {
        await destroy();
        await registry.destroy();
      },
    };
  }

  function check(
    record: MigrationRecord,
    registry: ConnectionRegistry,
    options: {
      checksWrites?: boolean;
      agent?: DatasetMigrationConsumerAgent;
    } = {},
  ): Promise<ConsumerFile> {
    return checkConsumerFile(
      {
        url: 'file:///repo/queries/writes.sql',
        text: consumerSql(record.plan.source.engine),
      },
      {
        agent: options.agent ?? new SqlConsumerAgent(),
        move: consumerMove(record.plan),
        baseUrl: 'file:///repo/',
        parity: paritySides(record, registry),
        verifyParity: input => verifyParity(input),
        checksWrites: options.checksWrites ?? true,
      },
    );
  }

  it.each<TestDatabaseId>(['POSTGRES_15', 'MYSQL_8'])(
    '%s: a write through the updatable compatibility view is verified, and every table holds what it held',
    async id => {
      const { registry, record, close } = await migrated(id, 'same');
      try {
        const src = registry.get('src');
        const engine = ENGINE[id];
        const before = await snapshot(src, engine);
        // The backup, the new table and its change log are among what must not change.
        expect(Object.keys(before)).toEqual(
          expect.arrayContaining([
            'customerAccounts',
            'customer_accounts',
            'customerAccounts__dm_backup',
            expect.stringMatching(/log/),
          ]),
        );
        const file = await check(record, registry);
        expect(file.statements.map(s => [s.outcome, s.reason])).toEqual([
          ['verified', expect.stringMatching(/1 rows affected on both sides/)],
          ['verified', expect.stringMatching(/3 rows affected on both sides/)],
          ['verified', expect.stringMatching(/5 rows affected on both sides/)],
        ]);
        expect(file.statements[0].reason).toMatch(
          /whole table after the write/,
        );
        expect(file.diff).toContain('+INSERT INTO');
        expect(await snapshot(src, engine)).toEqual(before);

        // A rewrite whose effect differs is a mismatch, and is left out of the patch.
        const sql = new SqlConsumerAgent();
        const wrong: DatasetMigrationConsumerAgent = {
          ...sql,
          handles: name => sql.handles(name),
          async rewrite(input) {
            const out = await sql.rewrite(input);
            const statements = out.statements.map(s =>
              s.rewritten?.startsWith('DELETE')
                ? { ...s, rewritten: s.rewritten.replace('> 15', '> 14') }
                : s,
            );
            return { ...out, statements };
          },
        };
        const refused = await check(record, registry, { agent: wrong });
        expect(refused.statements[2]).toMatchObject({
          outcome: 'mismatch',
          rewritten: null,
          reason: 'the original affected 5 rows, the rewrite 6',
        });
        expect(refused.diff).toContain('+UPDATE');
        expect(refused.diff).not.toContain('+DELETE');
        expect(await snapshot(src, engine)).toEqual(before);

        // Switched off: nothing runs, the writes are offered unproven as before.
        const off = await check(record, registry, { checksWrites: false });
        expect(off.statements.map(s => [s.outcome, s.reason])).toEqual(
          Array(3).fill(['rewritten', WRITES_NOT_CHECKED]),
        );
      } finally {
        await close();
      }
    },
  );

  it.each<TestDatabaseId>(['POSTGRES_15', 'MYSQL_8'])(
    "%s: a write that waits for a live writer's lock gives up, unproven, and nothing changes",
    async id => {
      const { registry, record, close } = await migrated(id, 'same');
      const engine = ENGINE[id];
      const src = registry.get('src');
      const before = await snapshot(src, engine);
      // A live writer holds row 1 of the new table in an open transaction.
      const writer = await src.transaction();
      try {
        await writer('customer_accounts')
          .where({ id: 1 })
          .update({ full_name: 'Held' });
        const file = await check(record, registry);
        expect(file.statements.map(s => s.outcome)).toEqual([
          'verified',
          'rewritten',
          'verified',
        ]);
        expect(file.statements[1].reason).toMatch(
          /waited over 2 s for a lock another session holds/,
        );
      } finally {
        await writer.rollback();
      }
      try {
        expect(await snapshot(src, engine)).toEqual(before);
      } finally {
        await close();
      }
    },
  );

  it.each<TestDatabaseId>(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'])(
    '%s: before cutover, a source paused for it takes no writes: unproven, saying so',
    async id => {
      const { registry, record, close } = await migrated(id, 'same');
      // The backup is the source as it was just before cutover: its pause freeze
      // stays on it until cleanup.
      const source = { table: 'customerAccounts__dm_backup' };
      try {
        const sides = paritySides(record, registry);
        if ('reason' in sides) throw new Error(sides.reason);
        expect(
          await whyNoWriteParity(
            { ...sides, oldName: source, isCutOver: false },
            'update',
          ),
        ).toMatch(
          /writes to the old name customerAccounts__dm_backup are paused for the migration's cutover now/,
        );
      } finally {
        await close();
      }
    },
  );

  it('SQLite: the compatibility view takes no writes, so the rewrites stay unproven, saying so', async () => {
    const { registry, record, close } = await migrated('SQLITE_3', 'same');
    try {
      const src = registry.get('src');
      const before = await snapshot(src, 'sqlite');
      const file = await check(record, registry);
      expect(file.statements.map(s => [s.outcome, s.reason])).toEqual(
        Array(3).fill([
          'rewritten',
          expect.stringMatching(
            /the old name customerAccounts is a compatibility view, and SQLite views take no writes/,
          ),
        ]),
      );
      expect(await snapshot(src, 'sqlite')).toEqual(before);
    } finally {
      await close();
    }
  });

  it('a frozen source takes no writes: the rewrites stay unproven, saying so, and nothing changes', async () => {
    const { registry, record, close } = await migrated(
      'MYSQL_8',
      'POSTGRES_15',
    );
    try {
      expect(record.plan.compatibility).toBe('frozen-source');
      const src = registry.get('src');
      const dst = registry.get('dst');
      const before = [
        await snapshot(src, 'mysql'),
        await snapshot(dst, 'postgres'),
      ];
      const file = await check(record, registry);
      expect(file.statements.map(s => [s.outcome, s.reason])).toEqual(
        Array(3).fill([
          'rewritten',
          expect.stringMatching(
            /the old name \S*customerAccounts takes no writes now \(it is the frozen source, read-only until cleanup\)/,
          ),
        ]),
      );
      expect([
        await snapshot(src, 'mysql'),
        await snapshot(dst, 'postgres'),
      ]).toEqual(before);
    } finally {
      await close();
    }
  });
});
