import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { allRows } from '../../dialects/rawRows';
import { moveConnections } from '../../__testUtils__/engineConnections';
import { planMove } from '../../__testUtils__/planFor';
import { seedItems } from '../../__testUtils__/seedItems';
import { stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { compatibilityWritesSinceCutover } from '../compatibilityWrites';
import { catchUpStep } from './catchUpStep';
import { cleanupStep } from './cleanupStep';
import { copyStep } from './copyStep';
import { cutoverStep } from './cutoverStep';
import { LockTimeoutError } from './lockTimeout';
import { provisionStep } from './provisionStep';
import { PermanentStepError } from './Step';
import { verifyStep } from './verifyStep';

jest.setTimeout(180_000);

const ROWS = 40;

const count = async (knex: Knex, table: string) =>
  Number(allRows(await knex.raw(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

/** The plugin's objects (dm_*) left in a database: tables, triggers, functions. */
async function leftovers(knex: Knex, client: string): Promise<string[]> {
  const rows =
    client === 'pg'
      ? allRows(
          await knex.raw(
            `SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE 'dm\\_%'
             UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'dm\\_%'
             UNION ALL SELECT tablename FROM pg_tables WHERE tablename LIKE 'dm\\_%'`,
          ),
        )
      : allRows(
          await knex.raw(
            `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
             UNION ALL SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'dm\\_%'`,
          ),
        );
  return rows.map(r => String(r.name)).sort();
}

describe('cutover and cleanup', () => {
  const databases = createTestDatabases();

  /** `items` on `src`; moved within it (`same`) or to `dst` on another engine. */
  async function setUp(
    sourceId: TestDatabaseId,
    targetId: TestDatabaseId | 'same',
  ) {
    const registry = await moveConnections(databases, sourceId, targetId);
    await seedItems(registry.get('src'), ROWS);
    const plan = await planMove(
      registry,
      { connection: 'src', table: 'items' },
      {
        connection: targetId === 'same' ? 'src' : 'dst',
        table: '{table}_moved',
      },
    );
    const record = { events: [] };
    const ctx = { ...stepContext(registry, plan, record), lockTimeoutMs: 1000 };
    const src = registry.get('src');
    return { registry, plan, ctx, src, client: registry.config('src').client };
  }

  async function upToCutover(ctx: Parameters<typeof cutoverStep.run>[0]) {
    await provisionStep.run(ctx);
    await copyStep.run(ctx);
    await catchUpStep.run(ctx);
    await verifyStep.run(ctx);
  }

  it.each<[TestDatabaseId]>([['POSTGRES_15'], ['MYSQL_8']])(
    '%s: a cutover blocked by a long reader gives up with a lock timeout instead of queueing readers, and succeeds once it ends',
    async sourceId => {
      const { registry, plan, ctx, src } = await setUp(sourceId, 'same');
      let reader: Knex.Transaction | undefined;
      try {
        expect(plan.compatibility).toBe('view');
        await upToCutover(ctx);
        // A reader's open transaction holds a lock on the table until it ends.
        reader = await src.transaction();
        expect(await count(reader, 'items')).toBe(ROWS);
        // Without a bound the cutover would wait for the reader: end it eventually, so
        // that an unbounded cutover succeeds (and the test fails) instead of hanging.
        const release = setTimeout(() => reader?.commit(), 8000);
        const blocked = await cutoverStep.run(ctx).catch(e => e);
        clearTimeout(release);
        expect(blocked).toBeInstanceOf(LockTimeoutError);
        expect(blocked).not.toBeInstanceOf(PermanentStepError);
        expect(blocked.message).toMatch(
          /^Cutover of resource:default\/items gave up after waiting 1 s for a lock on src:(\w+\.)?items: .* It is retried with backoff/,
        );
        // Nothing half-done: the old name is still the source table.
        expect(await src.schema.hasTable('items__dm_backup')).toBe(false);
        await reader.commit();
        reader = undefined;

        await cutoverStep.run(ctx);
        expect(await src.schema.hasTable('items__dm_backup')).toBe(true);
        expect(await count(src, 'items')).toBe(ROWS);
        // The session's own setting is back on the pooled connections.
        const isDefault =
          sourceId === 'MYSQL_8'
            ? 'SELECT @@SESSION.lock_wait_timeout = @@GLOBAL.lock_wait_timeout AS v'
            : `SELECT (current_setting('lock_timeout') = reset_val)::int AS v FROM pg_settings WHERE name = 'lock_timeout'`;
        const checks = await Promise.all([1, 2].map(() => src.raw(isDefault)));
        expect(checks.map(c => Number(allRows(c)[0].v))).toEqual([1, 1]);
      } finally {
        await reader?.rollback().catch(() => undefined);
        await registry.destroy();
      }
    },
  );

  it.each<[TestDatabaseId, TestDatabaseId]>([
    ['MYSQL_8', 'POSTGRES_15'],
    ['POSTGRES_15', 'MYSQL_8'],
  ])(
    '%s -> %s: a frozen source says "paused, retry shortly" until cutover has committed, and only then where the data went',
    async (sourceId, targetId) => {
      const { registry, plan, ctx, src } = await setUp(sourceId, targetId);
      try {
        expect(plan.compatibility).toBe('frozen-source');
        await provisionStep.run(ctx);
        await copyStep.run(ctx);
        await catchUpStep.run(ctx);
        // Catch-up leaves writers alone; verify freezes the source for its last replay.
        await src('items').where({ id: 2 }).update({ qty: 4 });
        await verifyStep.run(ctx);
        const paused = await src('items')
          .insert({ id: 1, label: 'after verify' })
          .catch(e => e);
        expect(paused.message).toMatch(
          /Writes to items are paused for a migration; retry shortly/,
        );
        expect(paused.message).not.toMatch(/moved|write there|items_moved/);
        // TRUNCATE fires no row trigger: PostgreSQL's freeze covers it, MariaDB's
        // guard table's foreign key makes InnoDB refuse it.
        await expect(src.raw('TRUNCATE items')).rejects.toThrow(
          /paused for a migration|TRUNCATE of items is refused|Cannot truncate a table referenced in a foreign key/,
        );
        await cutoverStep.run(ctx);
        // A retried cutover (crash after commit) keeps the same answer.
        await cutoverStep.run(ctx);
        for (const write of [
          () => src('items').insert({ id: 1, label: 'late' }),
          () => src('items').where({ id: 2 }).update({ qty: 5 }),
          () => src('items').where({ id: 2 }).delete(),
        ]) {
          const refused = await write().catch(e => e);
          expect(refused.message).toMatch(
            /Read-only until cleanup: items moved to dst:(\w+\.)?items_moved; write there/,
          );
        }
        await expect(src.raw('TRUNCATE items')).rejects.toThrow(
          /Read-only until cleanup|TRUNCATE of items is refused|Cannot truncate a table referenced in a foreign key/,
        );
        expect(await count(src, 'items')).toBe(ROWS);
        // Undone, the source takes writes again.
        await cutoverStep.undo(ctx);
        await verifyStep.undo(ctx);
        await catchUpStep.undo(ctx);
        await src('items').where({ id: 2 }).update({ qty: 5 });
        await provisionStep.undo(ctx);
        expect(await leftovers(src, registry.config('src').client)).toEqual([]);
      } finally {
        await registry.destroy();
      }
    },
  );

  it('MYSQL_8 -> POSTGRES_15: a cleanup whose DROP fails leaves the frozen source refusing writes', async () => {
    const { registry, plan, ctx, src } = await setUp('MYSQL_8', 'POSTGRES_15');
    try {
      expect(plan.compatibility).toBe('frozen-source');
      await upToCutover(ctx);
      await cutoverStep.run(ctx);
      // Someone's table references the frozen source: DROP TABLE fails.
      await src.raw(
        'CREATE TABLE pins (item_id integer, FOREIGN KEY (item_id) REFERENCES items (id))',
      );
      await expect(cleanupStep.run(ctx)).rejects.toThrow(/foreign key/i);
      await expect(
        src('items').insert({ id: 1, label: 'lost?' }),
      ).rejects.toThrow(/Read-only until cleanup/);
      await expect(
        src('items').where({ id: 2 }).update({ qty: 5 }),
      ).rejects.toThrow(/Read-only until cleanup/);
      // The guard the DROP had to lift first is back (the foreign key of pins would
      // refuse TRUNCATE too: look at the guard itself).
      expect(await src.schema.hasTable('dm_guard_items')).toBe(true);
      await expect(src.raw('TRUNCATE items')).rejects.toThrow(
        /Cannot truncate a table referenced in a foreign key/,
      );
      expect(await count(src, 'items')).toBe(ROWS);

      await src.raw('DROP TABLE pins');
      await cleanupStep.run(ctx);
      expect(await src.schema.hasTable('items')).toBe(false);
      expect(await leftovers(src, 'mysql2')).toEqual([]);
    } finally {
      await registry.destroy();
    }
  });

  it.each<[TestDatabaseId]>([['POSTGRES_15'], ['MYSQL_8']])(
    '%s: writes through the compatibility view are captured, and undoing the cutover refuses instead of losing them',
    async sourceId => {
      const { registry, plan, ctx, src, client } = await setUp(
        sourceId,
        'same',
      );
      try {
        expect(plan.compatibility).toBe('view');
        await upToCutover(ctx);
        await expect(src.raw('TRUNCATE items')).rejects.toThrow(
          /paused|TRUNCATE of items is refused|Cannot truncate a table referenced in a foreign key/,
        );
        await cutoverStep.run(ctx);
        const target = { knex: src, dialect: ctx.target.dialect };
        expect(await compatibilityWritesSinceCutover(plan, target)).toBe(0);

        // A consumer writes through the old name: the row lands in the new table.
        await src('items').insert({ id: 1, label: 'through the view', qty: 3 });
        await src('items').where({ id: 2 }).update({ qty: 42 });
        expect(await compatibilityWritesSinceCutover(plan, target)).toBe(2);

        const refused = await cutoverStep.undo(ctx).catch(e => e);
        expect(refused).toBeInstanceOf(PermanentStepError);
        expect(refused.message).toMatch(
          /^2 writes went to the new table src:(\w+\.)?items_moved \(through the compatibility view at items or directly\) since cutover of resource:default\/items; rolling back would lose them/,
        );
        // Nothing was undone: the view still serves the old name, with the writes.
        expect(await count(src, 'items')).toBe(ROWS + 1);
        expect((await src('items').where({ id: 2 }).first()).qty).toBe(42);
        expect(await src.schema.hasTable('items__dm_backup')).toBe(true);

        // Cleanup takes the capture with the view and the backup.
        await cleanupStep.run(ctx);
        expect(await count(src, 'items_moved')).toBe(ROWS + 1);
        expect(await leftovers(src, client)).toEqual([]);
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each<[TestDatabaseId]>([['POSTGRES_15'], ['MYSQL_8']])(
    '%s: a cutover whose new table took no writes is undone, capture included',
    async sourceId => {
      const { registry, plan, ctx, src, client } = await setUp(
        sourceId,
        'same',
      );
      try {
        await upToCutover(ctx);
        await cutoverStep.run(ctx);
        expect(plan.artifacts.compatibilityCapture?.length).toBeGreaterThan(0);
        await cutoverStep.undo(ctx);
        await cutoverStep.undo(ctx);
        expect(await src.schema.hasTable('items__dm_backup')).toBe(false);
        expect(await count(src, 'items')).toBe(ROWS);
        await catchUpStep.undo(ctx);
        await copyStep.undo(ctx);
        await provisionStep.undo(ctx);
        expect(await leftovers(src, client)).toEqual([]);
        await src('items').insert({ id: 1, label: 'writable again' });
      } finally {
        await registry.destroy();
      }
    },
  );
});
