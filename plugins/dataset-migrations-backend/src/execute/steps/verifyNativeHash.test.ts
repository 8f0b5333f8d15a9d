/* eslint-disable jest/no-standalone-expect -- tests run through `itOnPostgres`, which
   is `it` under CI and wherever PostgreSQL is configured. */
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { copiedMove } from '../../__testUtils__/copiedMove';
import { createTestDatabases, itOn } from '../../__testUtils__/testDatabases';
import { PermanentStepError } from './Step';
import { verifyStep } from './verifyStep';

jest.setTimeout(120_000);

const ROWS = 60;

/**
 * Between two PostgreSQL tables whose columns keep their declared types, verify hashes
 * each value with PostgreSQL's own hash of its type instead of printing the row's text.
 * Each kind it hashes so must still see a changed value, a NULL for a value, a case-only
 * change under a case-insensitive collation, and name exactly the changed keys.
 */
describe('verify between PostgreSQL tables of the same declared types', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');

  async function moved(
    create: string,
    rows: string,
  ): Promise<{
    registry: ConnectionRegistry;
    /** Verify's failure (undefined when it passed) and the keys it named. */
    run: () => Promise<{ failure?: Error; keys: number[] }>;
    validation: string;
  }> {
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, 'POSTGRES_15', 'src')],
      ]),
    );
    const src = registry.get('src');
    await src.raw(
      `CREATE COLLATION IF NOT EXISTS dm_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
    );
    await src.raw(create);
    await src.raw(rows);
    const { plan, ctx, record } = await copiedMove(registry, 'kinds', {
      connection: 'src',
      table: 'kinds_moved',
    });
    return {
      registry,
      validation: plan.artifacts.validation.target,
      run: async () => {
        record.events = [];
        record.checkpoint = undefined;
        const failure = await verifyStep.run(ctx).then(
          () => undefined,
          e => e as Error,
        );
        const named = record.events.find(e => e.data?.firstDifferingKeys)?.data
          ?.firstDifferingKeys as unknown[][] | undefined;
        return { failure, keys: (named ?? []).map(k => Number(k[0])) };
      },
    };
  }

  itOnPostgres(
    'hashes every kind natively and names each changed key',
    async () => {
      const { registry, run, validation } = await moved(
        `CREATE TABLE kinds (id bigint PRIMARY KEY, s smallint, i integer, n numeric(12,3),
        b boolean, d date, ts timestamp(3), tz timestamptz, t time, c char(5),
        v varchar(20), x text, ci text COLLATE dm_ci, u uuid, f double precision)`,
        `INSERT INTO kinds SELECT g, g, g * 1000, g * 1.125, g % 2 = 0,
        DATE '2024-01-01' + g, TIMESTAMP '2024-01-01 10:00:00.125' + g * INTERVAL '1 hour',
        TIMESTAMPTZ '2024-01-01 10:00:00+02' + g * INTERVAL '1 minute', TIME '08:00' + g * INTERVAL '1 second',
        'c' || g, 'v' || g, 'x' || g, 'Name' || g, md5(g::text)::uuid, g * 0.5
        FROM generate_series(1, ${ROWS}) g`,
      );
      try {
        expect(validation).toMatch(/SUM\(hashint8\(/);
        for (const fn of [
          'hashint4',
          'hash_numeric',
          'timestamp_hash',
          'time_hash',
          'hashbpchar',
          'hashtext',
          'uuid_hash',
        ])
          expect(validation).toContain(`${fn}(`);
        expect(validation).not.toMatch(/md5|char_length/);
        expect((await run()).failure).toBeUndefined();

        const dst = registry.get('src');
        const changes: Array<[number, string]> = [
          [3, 's = 30000'],
          [5, 'i = i + 1'],
          [7, 'n = n + 0.001'],
          [9, 'b = NOT b'],
          [11, `d = d + 1`],
          [13, `ts = ts + INTERVAL '1 millisecond'`],
          [15, `tz = tz + INTERVAL '1 second'`],
          [17, `t = t + INTERVAL '1 second'`],
          [19, `c = 'c19x'`],
          [21, `v = NULL`],
          [23, `x = 'x23 '`],
          // Equal under the column's collation: only its bytes tell them apart.
          [25, `ci = lower(ci)`],
          [27, `u = md5('other')::uuid`],
        ];
        // Verify names ten keys at most: two rounds, the table restored from the source
        // between them.
        for (const round of [changes.slice(0, 7), changes.slice(7)]) {
          for (const [id, set] of round)
            await dst.raw(`UPDATE kinds_moved SET ${set} WHERE id = ?`, [id]);
          const { failure, keys } = await run();
          expect(failure).toBeInstanceOf(PermanentStepError);
          expect(failure!.message).toMatch(/rows' checksum/);
          expect(keys).toEqual(round.map(([id]) => id));
          await dst.raw(
            `UPDATE kinds_moved m SET (s, i, n, b, d, ts, tz, t, c, v, x, ci, u) =
            (k.s, k.i, k.n, k.b, k.d, k.ts, k.tz, k.t, k.c, k.v, k.x, k.ci, k.u)
            FROM kinds k WHERE k.id = m.id`,
          );
          expect((await run()).failure).toBeUndefined();
        }
      } finally {
        await registry.destroy();
      }
    },
  );

  itOnPostgres(
    'names exactly the keys whose values were swapped between rows or columns',
    async () => {
      const { registry, run } = await moved(
        `CREATE TABLE kinds (id integer PRIMARY KEY, a text, b text, q integer, r integer)`,
        `INSERT INTO kinds SELECT g, 'a' || g, 'b' || g, g, g + 1000 FROM generate_series(1, ${ROWS}) g`,
      );
      try {
        expect((await run()).failure).toBeUndefined();
        const dst = registry.get('src');
        // Between columns of one row, between rows of one column, and a NULL moved.
        await dst.raw(`UPDATE kinds_moved SET a = b, b = a WHERE id = 4`);
        await dst.raw(
          `UPDATE kinds_moved SET q = CASE id WHEN 8 THEN 9 ELSE 8 END WHERE id IN (8, 9)`,
        );
        await dst.raw(`UPDATE kinds_moved SET q = NULL, r = q WHERE id = 12`);
        await dst.raw(`UPDATE kinds_moved SET r = NULL WHERE id = 13`);
        await dst.raw(`UPDATE kinds_moved SET q = NULL WHERE id = 14`);
        const { failure, keys } = await run();
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(keys).toEqual([4, 8, 9, 12, 13, 14]);
      } finally {
        await registry.destroy();
      }
    },
  );

  itOnPostgres(
    'hashes the row text where a column type has no hash of its own',
    async () => {
      const { registry, run, validation } = await moved(
        `CREATE TABLE kinds (id integer PRIMARY KEY, tags integer[], doc json)`,
        `INSERT INTO kinds SELECT g, ARRAY[g, g + 1], json_build_object('g', g) FROM generate_series(1, ${ROWS}) g`,
      );
      try {
        expect(validation).not.toMatch(/hashint8\(/);
        expect(validation).toMatch(/hashtext\(/);
        expect((await run()).failure).toBeUndefined();
        await registry
          .get('src')
          .raw(`UPDATE kinds_moved SET tags = ARRAY[0] WHERE id = 6`);
        const { failure, keys } = await run();
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(keys).toEqual([6]);
      } finally {
        await registry.destroy();
      }
    },
  );
});
