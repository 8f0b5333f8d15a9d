import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { allRows } from '../../dialects/rawRows';
import type { CopyCheckpoint } from '../../copy/strategies/CopyCheckpoint';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { planMove } from '../../__testUtils__/planFor';
import { StepRecord, stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { copyStep } from './copyStep';
import { provisionStep } from './provisionStep';

jest.setTimeout(120_000);

const ROWS = 12_000;

/**
 * The window the copy's design must survive: a batch committed in the target, then the
 * process died before its checkpoint was saved. The copy resumes from an older
 * checkpoint while the target already holds the rows after it.
 */
describe('copy step resumed behind the target', () => {
  const databases = createTestDatabases();

  async function seed(registry: ConnectionRegistry, keyType: 'int' | 'text') {
    const knex = registry.get('src');
    const isMysql = registry.config('src').client === 'mysql2';
    const key =
      keyType === 'int'
        ? 'id bigint PRIMARY KEY'
        : 'id varchar(20) PRIMARY KEY';
    await knex.raw(
      `CREATE TABLE events (${key}, label varchar(40) NOT NULL, note text, created_at ${
        isMysql ? 'datetime' : 'timestamp'
      } NOT NULL)`,
    );
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      id: keyType === 'int' ? i + 1 : `k${String(i + 1).padStart(6, '0')}`,
      label: `label-${i % 97}`,
      // Tabs, newlines and backslashes exercise COPY's text-format escapes.
      note: i % 5 === 0 ? null : `n\t${i}\n\\${i % 3 ? 'x' : ''}`,
      created_at: `2025-01-0${(i % 9) + 1} 10:00:00`,
    }));
    for (let i = 0; i < rows.length; i += 1000)
      await knex('events').insert(rows.slice(i, i + 1000));
  }

  async function targetIds(registry: ConnectionRegistry): Promise<string[]> {
    const rows = allRows(
      await registry.get('dst').raw('SELECT id FROM events_copy ORDER BY id'),
    );
    return rows.map(r => String(r.id));
  }

  it.each<[TestDatabaseId, 'int' | 'text']>([
    ['POSTGRES_15', 'int'],
    ['POSTGRES_15', 'text'],
    ['MYSQL_8', 'int'],
    ['MYSQL_8', 'text'],
  ])(
    '%s (%s key) -> PostgreSQL: no duplicate, no gap, same values',
    async (sourceId, keyType) => {
      const registry = new ConnectionRegistry(
        new Map<string, ConnectionConfig>([
          ['src', await engineConnection(databases, sourceId, 'src')],
          ['dst', await engineConnection(databases, 'POSTGRES_15', 'dst')],
        ]),
      );
      try {
        await seed(registry, keyType);
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'events' },
          { connection: 'dst', table: '{table}_copy' },
        );
        const saved: StepRecord = { events: [] };
        const ctx = stepContext(registry, plan, saved);
        await provisionStep.run(ctx);
        await copyStep.run(ctx);
        const first = await targetIds(registry);
        expect(first).toHaveLength(ROWS);

        // Back to a checkpoint a third of the way in, target untouched.
        const behind = first[Math.floor(ROWS / 3) - 1];
        saved.checkpoint = {
          lastKey: [keyType === 'int' ? Number(behind) : behind],
          done: Math.floor(ROWS / 3),
          total: ROWS,
        } satisfies CopyCheckpoint;
        await copyStep.run(ctx);

        const after = await targetIds(registry);
        expect(after).toEqual(first);
        expect(saved.checkpoint).toMatchObject({
          done: ROWS,
          isComplete: true,
        });
        // A key both engines order alike: the unconfirmed rows are deleted and copied
        // again; a text key: the staging table turns the replayed rows away.
        const cleared = ROWS - Math.floor(ROWS / 3);
        expect(
          saved.events.map(e => e.message).filter(m => m.startsWith('Removed')),
        ).toEqual(
          keyType === 'int'
            ? [
                `Removed ${cleared} target rows written after the last checkpoint; copying them again`,
              ]
            : [],
        );
        const notes = allRows(
          await registry
            .get('dst')
            .raw(`SELECT note FROM events_copy WHERE id = ?`, [
              keyType === 'int' ? 2 : 'k000002',
            ]),
        );
        expect(notes[0].note).toBe('n\t1\n\\x');
      } finally {
        await registry.destroy();
      }
    },
  );

  // Keyset batches (MariaDB source) and the COPY pipe (PostgreSQL source) alike.
  it.each<[TestDatabaseId]>([['MYSQL_8'], ['POSTGRES_15']])(
    '%s -> PostgreSQL: stops at the last key it saw at the start, not chasing inserts',
    async sourceId => {
      const registry = new ConnectionRegistry(
        new Map<string, ConnectionConfig>([
          ['src', await engineConnection(databases, sourceId, 'src')],
          ['dst', await engineConnection(databases, 'POSTGRES_15', 'dst')],
        ]),
      );
      try {
        await seed(registry, 'int');
        if (sourceId === 'POSTGRES_15') {
          // The pipe commits 50,000 keys per range: enough rows for a second range.
          await registry
            .get('src')
            .raw(
              `INSERT INTO events SELECT g, 'bulk', NULL, TIMESTAMP '2025-01-01' FROM generate_series(?::int, ?::int) AS g`,
              [ROWS + 1, ROWS + 60_000],
            );
        }
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'events' },
          { connection: 'dst', table: '{table}_copy' },
        );
        const APPENDED_FROM = 1_000_000;
        const APPENDED = 6000;
        let appended = 0;
        // Once the first batch or range has committed, rows are appended after the
        // last key: a copy that read until the table ran out would copy them all.
        const append = async () => {
          const rows = Array.from({ length: APPENDED }, (_, i) => ({
            id: APPENDED_FROM + i,
            label: 'appended',
            created_at: '2025-02-01 00:00:00',
          }));
          for (let i = 0; i < rows.length; i += 1000)
            await registry
              .get('src')('events')
              .insert(rows.slice(i, i + 1000));
          appended = rows.length;
        };
        let reports = 0;
        const ctx = stepContext(registry, plan, { events: [] }, async () => {
          // Report 0 is the copy's start, before it reads anything.
          if (reports++ === 1) await append();
        });
        await provisionStep.run(ctx);
        reports = 0;
        await copyStep.run(ctx);

        const copied = (await targetIds(registry)).map(Number);
        expect(appended).toBe(APPENDED);
        // Every row there at the start is copied; the appended ones are left to
        // catch-up (a keyset batch already under way may carry some along).
        expect(copied.filter(id => id < APPENDED_FROM)).toHaveLength(
          sourceId === 'POSTGRES_15' ? ROWS + 60_000 : ROWS,
        );
        expect(copied.filter(id => id >= APPENDED_FROM).length).toBeLessThan(
          APPENDED,
        );
      } finally {
        await registry.destroy();
      }
    },
  );
});
