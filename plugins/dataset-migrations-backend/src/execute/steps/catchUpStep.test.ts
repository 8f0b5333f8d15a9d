import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { allRows } from '../../dialects/rawRows';
import { moveConnections } from '../../__testUtils__/engineConnections';
import { itemRows, seedItems } from '../../__testUtils__/seedItems';
import { planMove } from '../../__testUtils__/planFor';
import { stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { catchUpStep, MAX_LIVE_BATCHES } from './catchUpStep';
import { cleanupStep } from './cleanupStep';
import { copyStep } from './copyStep';
import { cutoverStep } from './cutoverStep';
import { provisionStep } from './provisionStep';
import { verifyStep } from './verifyStep';

jest.setTimeout(180_000);

// Three batches of a streamed copy (5000 rows each); keys are even, so odd keys are
// gaps that writes can fill behind and ahead of the copy.
const ROWS = 12_000;

/**
 * Writes to the source from inside the copy: every progress report (the copy's start
 * and each committed batch) inserts rows behind, inside and after the copied range,
 * updates and deletes rows, and moves a row to a new key.
 */
function sourceWriter(knex: () => Knex) {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let rounds = 0;
  return {
    get rounds() {
      return rounds;
    },
    async write() {
      rounds++;
      const db = knex();
      const existing = () => 2 * (1 + next(ROWS));
      for (let i = 0; i < 4; i++) {
        await db('items')
          .insert({ id: 2 * next(ROWS) + 1, label: `gap-${rounds}`, qty: i })
          .onConflict('id')
          .ignore();
      }
      await db('items').insert({
        id: 100_000 + rounds,
        label: `after-${rounds}`,
        qty: null,
      });
      for (let i = 0; i < 6; i++) {
        await db('items')
          .where({ id: existing() })
          .update({ label: `updated-${rounds}-${i}`, qty: rounds * 100 + i });
      }
      for (let i = 0; i < 3; i++)
        await db('items').where({ id: existing() }).delete();
      // A key update: the row leaves its key for a gap the copy may already have passed.
      const from = existing();
      const to = 200_000 + rounds;
      await db('items').where({ id: from }).update({ id: to });
    },
  };
}

/** A step context whose progress reports run `onProgress`. */
const context = (
  registry: ConnectionRegistry,
  plan: Plan,
  onProgress: () => Promise<void>,
) => stepContext(registry, plan, { events: [] }, onProgress);

/**
 * Provisions the target and copies into it while `writer` writes to the source at
 * every progress report of the copy (and only then); returns the steps' context.
 */
async function copyWhileWriting(
  registry: ConnectionRegistry,
  plan: Plan,
  writer: ReturnType<typeof sourceWriter>,
) {
  let isCopying = false;
  const ctx = context(registry, plan, async () => {
    if (isCopying) await writer.write();
  });
  await provisionStep.run(ctx);
  isCopying = true;
  await copyStep.run(ctx);
  isCopying = false;
  return ctx;
}

/** Change-capture objects the plugin may have left in the source database. */
async function leftovers(registry: ConnectionRegistry): Promise<string[]> {
  const knex = registry.get('src');
  const client = registry.config('src').client;
  let rows: Record<string, unknown>[];
  if (client === 'better-sqlite3') {
    rows = allRows(
      await knex.raw(
        `SELECT name FROM sqlite_master WHERE name LIKE 'dm\\_%' ESCAPE '\\'`,
      ),
    );
  } else if (client === 'pg') {
    rows = allRows(
      await knex.raw(
        `SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE 'dm\\_%'
         UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'dm\\_%'
         UNION ALL SELECT tablename FROM pg_tables WHERE tablename LIKE 'dm\\_%'`,
      ),
    );
  } else {
    rows = allRows(
      await knex.raw(
        `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
         UNION ALL SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'dm\\_%'`,
      ),
    );
  }
  return rows.map(r => String(r.name)).sort();
}

/** Rows and the schema objects of the source database, to compare before and after. */
async function sourceDigest(registry: ConnectionRegistry): Promise<string> {
  return JSON.stringify({
    rows: await itemRows(registry.get('src'), 'items'),
    objects: await leftovers(registry),
  });
}

/** A fault on DELETE from `table` (the change log, or the target table). */
function injectFault(client: string, table: string): string[] {
  if (client === 'better-sqlite3')
    return [
      `CREATE TRIGGER dm_test_fault BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
    ];
  if (client === 'pg')
    return [
      `CREATE FUNCTION dm_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'injected fault'; END$$`,
      `CREATE TRIGGER dm_test_fault BEFORE DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION dm_test_fault()`,
    ];
  return [
    `CREATE TRIGGER dm_test_fault BEFORE DELETE ON ${table} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected fault'`,
  ];
}
const removeFault = (client: string) =>
  client === 'pg'
    ? ['DROP FUNCTION dm_test_fault() CASCADE']
    : ['DROP TRIGGER dm_test_fault'];

describe('catch-up: writes made while the copy runs reach the target', () => {
  const databases = createTestDatabases();

  /** `src` on the source engine; `dst` another database, or none when `isSameDatabase`. */
  async function setUp(
    sourceId: TestDatabaseId,
    targetId: TestDatabaseId | 'same',
  ) {
    const registry = await moveConnections(databases, sourceId, targetId);
    const knex = registry.get('src');
    await seedItems(knex, ROWS);
    const plan = await planMove(
      registry,
      { connection: 'src', table: 'items' },
      {
        connection: targetId === 'same' ? 'src' : 'dst',
        table: '{table}_moved',
      },
    );
    return { registry, plan };
  }

  it.each<[TestDatabaseId, TestDatabaseId | 'same', string, string]>([
    ['SQLITE_3', 'same', 'push-down', 'view'],
    ['SQLITE_3', 'POSTGRES_15', 'streamed', 'frozen-source'],
    ['POSTGRES_15', 'same', 'push-down', 'view'],
    ['POSTGRES_15', 'POSTGRES_15', 'copy-pipe', 'frozen-source'],
    ['POSTGRES_15', 'MYSQL_8', 'streamed', 'frozen-source'],
    ['MYSQL_8', 'same', 'push-down', 'view'],
    ['MYSQL_8', 'POSTGRES_15', 'streamed', 'frozen-source'],
  ])(
    '%s -> %s (%s, %s): the target equals the final source, the old name too',
    async (sourceId, targetId, strategy, compatibility) => {
      const { registry, plan } = await setUp(sourceId, targetId);
      try {
        expect([plan.copyStrategy, plan.compatibility]).toEqual([
          strategy,
          compatibility,
        ]);
        const writer = sourceWriter(() => registry.get('src'));
        const ctx = await copyWhileWriting(registry, plan, writer);
        // The copy's start, each batch and its end each wrote.
        expect(writer.rounds).toBeGreaterThanOrEqual(2);
        // Writes that landed on copied rows are not in the target before catch-up.
        const target = plan.target.table;
        const targetKnex = registry.get(plan.target.connection);
        expect(await itemRows(targetKnex, target)).not.toEqual(
          await itemRows(registry.get('src'), 'items'),
        );

        await catchUpStep.run(ctx);
        // Writers go on after catch-up: verify replays what they write.
        await registry.get('src')('items').insert({ id: 1, label: 'late' });
        await verifyStep.run(ctx);
        // Frozen from verify on: a write now would be lost.
        await expect(
          registry.get('src')('items').insert({ id: 3, label: 'later' }),
        ).rejects.toThrow(/paused|Read-only/);
        await cutoverStep.run(ctx);

        const source =
          plan.compatibility === 'view' ? 'items__dm_backup' : 'items';
        const final = await itemRows(registry.get('src'), source);
        expect(final.length).toBeGreaterThan(ROWS - 60);
        expect(await itemRows(targetKnex, target)).toEqual(final);
        // The old name: the view over the new table, or the frozen source itself.
        expect(await itemRows(registry.get('src'), 'items')).toEqual(final);

        await cleanupStep.run(ctx);
        expect(await leftovers(registry)).toEqual([]);
      } finally {
        await registry.destroy();
      }
    },
  );

  it('SQLITE_3: writers that outpace catch-up and verify are stopped after bounded drains, and nothing is lost', async () => {
    const { registry, plan } = await setUp('SQLITE_3', 'same');
    try {
      let isCatchingUp = false;
      let refused = 0;
      const ctx = context(registry, plan, async () => {
        if (!isCatchingUp) return;
        // A full batch of new changes for every batch replayed: the log never shrinks.
        await registry
          .get('src')
          .raw('UPDATE items SET label = label || ? WHERE id <= 2000', ['+'])
          .catch(() => {
            refused++;
          });
      });
      const events: string[] = [];
      ctx.event = async message => {
        events.push(message);
      };
      await provisionStep.run(ctx);
      await copyStep.run(ctx);
      await registry
        .get('src')
        .raw('UPDATE items SET label = label || ? WHERE id <= 2000', ['+']);
      isCatchingUp = true;
      await catchUpStep.run(ctx);
      // Catch-up stops replaying, but does not stop the writer: verify does.
      expect(refused).toBe(0);
      await verifyStep.run(ctx);
      isCatchingUp = false;
      for (const step of ['catch-up', 'verify']) {
        const outpaced = events.filter(e =>
          e.startsWith(`Writers outpace ${step}`),
        );
        expect(outpaced).toHaveLength(1);
        expect(outpaced[0]).toMatch(`in ${MAX_LIVE_BATCHES} batches`);
      }
      // The writer kept going until verify's freeze refused it.
      expect(refused).toBeGreaterThan(0);
      expect(await itemRows(registry.get('src'), plan.target.table)).toEqual(
        await itemRows(registry.get('src'), 'items'),
      );
    } finally {
      await registry.destroy();
    }
  });

  it.each<[TestDatabaseId, TestDatabaseId | 'same', 'change log' | 'target']>([
    ['SQLITE_3', 'POSTGRES_15', 'change log'],
    ['SQLITE_3', 'POSTGRES_15', 'target'],
    ['POSTGRES_15', 'POSTGRES_15', 'change log'],
    ['POSTGRES_15', 'MYSQL_8', 'target'],
    ['MYSQL_8', 'same', 'change log'],
    ['MYSQL_8', 'same', 'target'],
  ])(
    '%s -> %s: a catch-up that fails deleting from the %s, then runs again, loses nothing',
    async (sourceId, targetId, faultAt) => {
      const { registry, plan } = await setUp(sourceId, targetId);
      const src = registry.get('src');
      const faulty =
        faultAt === 'target'
          ? {
              knex: registry.get(plan.target.connection),
              client: registry.config(plan.target.connection).client,
              table: plan.target.table,
            }
          : {
              knex: src,
              client: registry.config('src').client,
              table: 'dm_log_items',
            };
      try {
        const writer = sourceWriter(() => src);
        const ctx = await copyWhileWriting(registry, plan, writer);
        const logged = async () =>
          Number(
            allRows(await src.raw('SELECT COUNT(*) AS n FROM dm_log_items'))[0]
              .n,
          );
        const before = await logged();
        expect(before).toBeGreaterThan(0);

        // The change log: the target committed, then forgetting the replayed entries
        // failed (a crash at that point). The target: the replay itself failed.
        for (const sql of injectFault(faulty.client, faulty.table))
          await faulty.knex.raw(sql);
        await expect(catchUpStep.run(ctx)).rejects.toThrow(/injected fault/);
        expect(await logged()).toBeGreaterThanOrEqual(before);
        for (const sql of removeFault(faulty.client))
          await faulty.knex.raw(sql);
        // More writes before the retry: the failed batch came before the freeze.
        await writer.write();

        await catchUpStep.run(ctx);
        expect(await logged()).toBe(0);
        await verifyStep.run(ctx);
        expect(
          await itemRows(
            registry.get(plan.target.connection),
            plan.target.table,
          ),
        ).toEqual(await itemRows(src, 'items'));
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each<[TestDatabaseId, TestDatabaseId | 'same']>([
    ['SQLITE_3', 'same'],
    ['POSTGRES_15', 'POSTGRES_15'],
    ['MYSQL_8', 'POSTGRES_15'],
  ])(
    '%s -> %s: rollback after capture, verify and its freeze leaves the source as it was',
    async (sourceId, targetId) => {
      const { registry, plan } = await setUp(sourceId, targetId);
      try {
        const before = await sourceDigest(registry);
        const ctx = context(registry, plan, async () => undefined);
        await provisionStep.run(ctx);
        await copyStep.run(ctx);
        await catchUpStep.run(ctx);
        await verifyStep.run(ctx);
        expect(await leftovers(registry)).not.toEqual([]);
        // Undone newest first, as MigrationRunner.backward does.
        await verifyStep.undo(ctx);
        await catchUpStep.undo(ctx);
        await copyStep.undo(ctx);
        await provisionStep.undo(ctx);
        expect(await sourceDigest(registry)).toBe(before);
        expect(await leftovers(registry)).toEqual([]);
        // Writable again.
        await registry.get('src')('items').where({ id: 2 }).update({ qty: 1 });
      } finally {
        await registry.destroy();
      }
    },
  );

  it('POSTGRES_15: a TRUNCATE of the source, which no row trigger sees, is refused while capture runs', async () => {
    const { registry, plan } = await setUp('POSTGRES_15', 'POSTGRES_15');
    try {
      const src = registry.get('src');
      const ctx = context(registry, plan, async () => undefined);
      await provisionStep.run(ctx);
      await expect(src.raw('TRUNCATE items')).rejects.toThrow(
        /TRUNCATE of items is refused while it moves/,
      );
      await provisionStep.undo(ctx);
      await src.raw('TRUNCATE items');
      expect(await itemRows(src, 'items')).toEqual([]);
    } finally {
      await registry.destroy();
    }
  });
});
