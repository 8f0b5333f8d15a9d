import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { allRows } from '../../dialects/rawRows';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { planFor, planMove } from '../../__testUtils__/planFor';
import { rule } from '../../__testUtils__/rule';
import { StepRecord, stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { seedItems } from '../../__testUtils__/seedItems';
import { catchUpStep } from './catchUpStep';
import { copyStep } from './copyStep';
import { provisionStep } from './provisionStep';
import { PermanentStepError, StepContext } from './Step';
import { verifyStep } from './verifyStep';

jest.setTimeout(120_000);

const ROWS = 5_000;

describe('verify step', () => {
  const databases = createTestDatabases();

  async function moved(
    sourceId: TestDatabaseId,
    targetId: TestDatabaseId,
    rowCount = ROWS,
  ) {
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, sourceId, 'src')],
        ['dst', await engineConnection(databases, targetId, 'dst')],
      ]),
    );
    const knex = registry.get('src');
    await knex.schema.createTable('meterReadings', t => {
      t.bigInteger('readingId').primary();
      t.string('meterName', 40).notNullable();
      t.integer('kwh');
    });
    const rows = Array.from({ length: rowCount }, (_, i) => ({
      readingId: i + 1,
      meterName: `meter-${i % 13}`,
      kwh: i % 7 ? i : null,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await knex('meterReadings').insert(rows.slice(i, i + 500));
    const plan = await planFor(
      registry,
      { connection: 'src', table: 'meterReadings' },
      [
        rule({
          name: 'move',
          renameColumns: 'snake_case',
          target: { connection: 'dst', table: 'meter_readings' },
          // A literal `?` in generated SQL must never be taken for a binding.
          computed: [
            {
              name: 'question',
              type: 'varchar(40)',
              expression: `'why?' || {meterName}`,
            },
          ],
        }),
      ],
    );
    const record: StepRecord = { events: [] };
    const ctx = stepContext(registry, plan, record);
    await provisionStep.run(ctx);
    await copyStep.run(ctx);
    // Provision reports too (change capture started); the tests read verify's events.
    record.events.length = 0;
    record.checkpoint = undefined;
    return { registry, ctx, record };
  }

  // SQLite and PostgreSQL sources: both concatenate with ||, which the rule uses.
  it.each<[TestDatabaseId, TestDatabaseId]>([
    ['SQLITE_3', 'SQLITE_3'],
    ['POSTGRES_15', 'POSTGRES_15'],
    ['POSTGRES_15', 'MYSQL_8'],
  ])(
    '%s -> %s: passes on a faithful copy, then names exactly the tampered keys',
    async (sourceId, targetId) => {
      const { registry, ctx, record } = await moved(sourceId, targetId);
      try {
        const dst = registry.get('dst');
        const copied = allRows(
          await dst.raw(
            `SELECT question FROM meter_readings WHERE reading_id = 14`,
          ),
        );
        expect(copied[0].question).toBe('why?meter-0');

        await verifyStep.run(ctx);
        expect(record.events.map(e => e.message)).toEqual([
          'Bulk verify: source and target agree on every key nobody wrote since its last replay; 0 keys the change log held then are checked after their replay',
          'Source and target agree: the bulk, and the 0 keys written since catch-up, after their replay (0 of them after the freeze); meterReadings refuses writes until cutover',
        ]);

        // One changed value, one lost row, one NULL where a value was.
        await dst('meter_readings')
          .where({ reading_id: 1234 })
          .update({ kwh: 1 });
        await dst('meter_readings').where({ reading_id: 4321 }).delete();
        await dst('meter_readings')
          .where({ reading_id: 2500 })
          .update({ meter_name: 'meter-x' });
        record.events = [];
        record.checkpoint = undefined;
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(failure.message).toMatch(
          /first differing keys: \["?1234"?\], \["?2500"?\], \["?4321"?\]$/,
        );
        // node-pg reads bigint keys as text, SQLite as numbers.
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([[1234], [2500], [4321]]);
      } finally {
        await registry.destroy();
      }
    },
  );

  // Past one range of the walk (8,192 keys): differences on both sides of a range's
  // bounds, in the last key, and a lost row, each named; ranges that agree are skipped.
  it.each<[TestDatabaseId, TestDatabaseId]>([
    ['POSTGRES_15', 'POSTGRES_15'],
    ['POSTGRES_15', 'MYSQL_8'],
  ])(
    '%s -> %s: names exactly the tampered keys across several key ranges',
    async (sourceId, targetId) => {
      const { registry, ctx, record } = await moved(sourceId, targetId, 20_000);
      try {
        const dst = registry.get('dst');
        for (const id of [8192, 8193, 16_384, 20_000])
          await dst('meter_readings')
            .where({ reading_id: id })
            .update({ meter_name: 'tampered' });
        await dst('meter_readings').where({ reading_id: 3 }).delete();
        // NULL where a number was, and another number changed.
        await dst('meter_readings')
          .where({ reading_id: 12_001 })
          .update({ kwh: null });
        await dst('meter_readings')
          .where({ reading_id: 12_005 })
          .update({ kwh: 12_001 });
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([
          [3],
          [8192],
          [8193],
          [12_001],
          [12_005],
          [16_384],
          [20_000],
        ]);
      } finally {
        await registry.destroy();
      }
    },
  );
});

type Phase = 'bulk-verified' | 'frozen' | undefined;
type Update = Parameters<StepContext['progress']>[0];

describe('verify while writers go on: the bulk before the freeze, then the written keys', () => {
  const databases = createTestDatabases();

  /**
   * `items` (even ids) moved to `items_moved` on another database, caught up, with
   * `during(phase, update)` run after every progress report of verify.
   */
  async function caughtUp(sourceId: TestDatabaseId, targetId: TestDatabaseId) {
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, sourceId, 'src')],
        ['dst', await engineConnection(databases, targetId, 'dst')],
      ]),
    );
    await seedItems(registry.get('src'), 3_000);
    const plan = await planMove(
      registry,
      { connection: 'src', table: 'items' },
      { connection: 'dst', table: 'items_moved' },
    );
    const record: StepRecord = { events: [] };
    const hooks = {
      during: async (_phase: Phase, _update: Update) => undefined as unknown,
    };
    const ctx = stepContext(registry, plan, record);
    const progress = ctx.progress;
    ctx.progress = async update => {
      await progress(update);
      await hooks.during(
        (record.checkpoint as { phase?: Phase } | undefined)?.phase,
        update,
      );
    };
    await provisionStep.run(ctx);
    await copyStep.run(ctx);
    await catchUpStep.run(ctx);
    record.events.length = 0;
    record.checkpoint = undefined;
    const src = registry.get('src');
    const dst = registry.get('dst');
    const label = async (knex: typeof src, table: string, id: number) =>
      String((await knex(table).where({ id }).first('label'))?.label);
    return { registry, ctx, record, hooks, src, dst, label };
  }

  const refusesWrites = async (src: ReturnType<ConnectionRegistry['get']>) =>
    src('items')
      .where({ id: 3000 })
      .update({ qty: 1 })
      .then(
        () => false,
        e => /paused|Read-only/.test(String(e)),
      );

  const engines: Array<[TestDatabaseId, TestDatabaseId]> = [
    ['POSTGRES_15', 'POSTGRES_15'],
    ['MYSQL_8', 'POSTGRES_15'],
  ];

  it.each(engines)(
    '%s -> %s: keys written meanwhile are replayed and checked; after the bulk only they are read again',
    async (sourceId, targetId) => {
      const { registry, ctx, record, hooks, src, dst, label } = await caughtUp(
        sourceId,
        targetId,
      );
      try {
        // Written after catch-up: the target lags on it when the bulk compares.
        await src('items').where({ id: 2 }).update({ label: 'written-before' });
        let isTampered = false;
        hooks.during = async phase => {
          if (phase !== 'bulk-verified' || isTampered) return;
          isTampered = true;
          // After the bulk agreed: a writer on the source, and a target row nobody
          // wrote changed behind verify's back. Only the first is read again.
          await src('items')
            .where({ id: 6 })
            .update({ label: 'written-after' });
          await dst('items_moved').where({ id: 4 }).update({ label: 'unseen' });
        };
        await verifyStep.run(ctx);

        expect(record.events[0].data).toEqual({ writtenMeanwhile: 1 });
        expect(record.events[1].data).toEqual({
          checkedLive: 2,
          checkedFrozen: 0,
        });
        expect(await label(dst, 'items_moved', 2)).toBe('written-before');
        expect(await label(dst, 'items_moved', 6)).toBe('written-after');
        expect(await label(dst, 'items_moved', 4)).toBe('unseen');
        expect(await refusesWrites(src)).toBe(true);
        await verifyStep.undo(ctx);
        expect(await refusesWrites(src)).toBe(false);
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each(engines)(
    '%s -> %s: a difference on a key nobody wrote fails the bulk, named alone, before any freeze',
    async (sourceId, targetId) => {
      const { registry, ctx, record, src, dst } = await caughtUp(
        sourceId,
        targetId,
      );
      try {
        await src('items').where({ id: 2 }).update({ label: 'written' });
        await dst('items_moved').where({ id: 8 }).update({ label: 'tampered' });
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(failure.message).toMatch(/first differing keys: \["?8"?\]$/);
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([[8]]);
        expect(record.checkpoint).toBeUndefined();
        expect(await refusesWrites(src)).toBe(false);
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each(engines)(
    '%s -> %s: a difference left on a key written in the last moments is caught after the freeze',
    async (sourceId, targetId) => {
      const { registry, ctx, record, hooks, src, dst } = await caughtUp(
        sourceId,
        targetId,
      );
      try {
        let writes = 0;
        let isTampered = false;
        hooks.during = async (phase, update) => {
          if (phase === 'bulk-verified') {
            // Keeps writing while verify replays live: the last write is left for
            // the replay after the freeze.
            writes++;
            await src('items')
              .where({ id: 12 })
              .update({ label: `w-${writes}` });
          } else if (phase === 'frozen' && update.done > 0 && !isTampered) {
            // Replayed, not yet checked: as if the replay had written it wrong.
            isTampered = true;
            await dst('items_moved').where({ id: 12 }).update({ qty: -1 });
          }
        };
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(isTampered).toBe(true);
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(failure.message).toMatch(/first differing keys: \["?12"?\]$/);
        expect(record.checkpoint).toEqual({ phase: 'frozen' });
        expect(await refusesWrites(src)).toBe(true);
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each(engines)(
    '%s -> %s: a verify that crashes after the freeze resumes there, with the log entries it had not checked',
    async (sourceId, targetId) => {
      const { registry, ctx, record, hooks, src, dst, label } = await caughtUp(
        sourceId,
        targetId,
      );
      try {
        let writes = 0;
        let hasCrashed = false;
        hooks.during = async (phase, update) => {
          if (phase === 'bulk-verified') {
            writes++;
            await src('items')
              .where({ id: 14 })
              .update({ label: `w-${writes}` });
          } else if (phase === 'frozen' && update.done > 0 && !hasCrashed) {
            hasCrashed = true;
            throw new Error('worker crashed');
          }
        };
        await expect(verifyStep.run(ctx)).rejects.toThrow('worker crashed');
        expect(record.checkpoint).toEqual({ phase: 'frozen' });
        // Changed behind verify's back before the resume: the resumed run reads the
        // written key again, not the bulk.
        await dst('items_moved').where({ id: 14 }).update({ label: 'stale' });
        await dst('items_moved').where({ id: 16 }).update({ label: 'unseen' });
        record.events.length = 0;
        await verifyStep.run(ctx);
        expect(record.events.map(e => e.data)).toEqual([
          { checkedLive: 0, checkedFrozen: 1 },
        ]);
        expect(await label(dst, 'items_moved', 14)).toBe(`w-${writes}`);
        expect(await label(dst, 'items_moved', 16)).toBe('unseen');
        expect(await refusesWrites(src)).toBe(true);
      } finally {
        await registry.destroy();
      }
    },
  );
});
