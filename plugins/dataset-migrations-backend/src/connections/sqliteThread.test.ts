import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { allRows, firstRow } from '../dialects/rawRows';
import { md5First32 } from '../dialects/md5_32';
import { ConnectionRegistry } from './ConnectionRegistry';
import { SqliteThread } from './sqliteThread';
import { isSqliteFile, SQLITE_READ_SNAPSHOT } from './sqliteThreadClient';

function sqliteFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-thread-'));
  const filename = path.join(dir, 'data.sqlite');
  new Database(filename).close();
  return filename;
}

function registryOn(filename: string) {
  return new ConnectionRegistry(
    new Map([
      [
        'data',
        { name: 'data', client: 'better-sqlite3', connection: { filename } },
      ],
    ]),
  );
}

/** Settles the promise's state into a flag the test can read while it is pending. */
function track(promise: Promise<unknown>) {
  const state = { isSettled: false };
  promise.then(
    () => (state.isSettled = true),
    () => (state.isSettled = true),
  );
  return state;
}

describe('SQLite connections on a thread', () => {
  it('runs the SQL the steps run, with dm_md5_32 as the main thread computes it', async () => {
    const registry = registryOn(sqliteFile());
    const knex = registry.get('data');
    try {
      await knex.raw('CREATE TABLE t (id integer PRIMARY KEY, v text, b blob)');
      const inserted = await knex('t').insert([
        { id: 1, v: 'héllo', b: Buffer.from([0, 1, 254, 255]) },
        { id: 2, v: '', b: null },
        { id: 3, v: null, b: Buffer.from('x') },
      ]);
      expect(inserted).toEqual([3]);
      const rows = allRows(
        await knex.raw(
          'SELECT id, v, b, dm_md5_32(v) AS hv, dm_md5_32(b) AS hb FROM t WHERE id >= ? ORDER BY id',
          [1],
        ),
      );
      expect(rows.map(r => [r.hv, r.hb])).toEqual(
        [
          ['héllo', Buffer.from([0, 1, 254, 255])],
          ['', null],
          [null, Buffer.from('x')],
        ].map(([v, b]) => [md5First32(v), md5First32(b)]),
      );
      expect(Buffer.isBuffer(rows[0].b)).toBe(true);
      expect(rows[0].b).toEqual(Buffer.from([0, 1, 254, 255]));
      // A failed transaction rolls back on the thread's one connection.
      await expect(
        knex.transaction(async trx => {
          await trx.raw('DELETE FROM t');
          await trx.raw('INSERT INTO t (id) VALUES (1), (1)');
        }),
      ).rejects.toThrow(/UNIQUE constraint failed: t\.id/);
      expect(firstRow(await knex.raw('SELECT COUNT(*) AS n FROM t'))?.n).toBe(
        3,
      );
    } finally {
      await registry.destroy();
    }
  });

  it('keeps an in-memory database on the main thread, where it exists', async () => {
    expect(isSqliteFile({ filename: ':memory:' })).toBe(false);
    expect(isSqliteFile({ filename: 'file::memory:?cache=shared' })).toBe(
      false,
    );
    expect(isSqliteFile({ filename: '/tmp/x.sqlite' })).toBe(true);
    const registry = new ConnectionRegistry(
      new Map([
        [
          'mem',
          {
            name: 'mem',
            client: 'better-sqlite3',
            connection: { filename: ':memory:' },
          },
        ],
      ]),
    );
    try {
      const knex = registry.get('mem');
      await knex.raw('CREATE TABLE t (v text)');
      await knex('t').insert({ v: 'a' });
      expect(
        firstRow(await knex.raw('SELECT dm_md5_32(v) AS h FROM t'))?.h,
      ).toBe(md5First32('a'));
    } finally {
      await registry.destroy();
    }
  });

  it('opens another thread when the pooled one has ended', async () => {
    const registry = registryOn(sqliteFile());
    const knex = registry.get('data');
    try {
      await knex.raw('CREATE TABLE t (id integer PRIMARY KEY)');
      const client = knex.client as {
        acquireConnection(): Promise<SqliteThread>;
        releaseConnection(c: SqliteThread): Promise<void>;
      };
      const thread = await client.acquireConnection();
      await thread.close();
      expect(thread.isOpen).toBe(false);
      await client.releaseConnection(thread);
      expect(firstRow(await knex.raw('SELECT COUNT(*) AS n FROM t'))?.n).toBe(
        0,
      );
    } finally {
      await registry.destroy();
    }
  });

  it('says why a database cannot be opened', async () => {
    const thread = new SqliteThread(path.join(os.tmpdir(), 'dm-no-dir', 'x'));
    await expect(thread.open()).rejects.toThrow(/directory does not exist/);
    await thread.close();
  });

  /*
   * The statement waits for a lock that only the main thread can release. Had the
   * driver run on the main thread, it would wait there (no request answered, nothing
   * released) until SQLite gave up with SQLITE_BUSY.
   */
  it('leaves the event loop free while a statement runs: a request is answered and the lock released meanwhile', async () => {
    const filename = sqliteFile();
    const registry = registryOn(filename);
    const knex = registry.get('data');
    const holder = new Database(filename);
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      await knex.raw('CREATE TABLE t (id integer PRIMARY KEY)');
      holder.exec('BEGIN IMMEDIATE');
      const write = knex.raw('INSERT INTO t (id) VALUES (1)').then(() => 1);
      const writing = track(write);

      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await answer.text()).toBe('ok');
      expect(writing.isSettled).toBe(false);

      holder.exec('COMMIT');
      await expect(write).resolves.toBe(1);
      expect(holder.prepare('SELECT id FROM t').all()).toEqual([{ id: 1 }]);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      server.close();
      await registry.destroy();
    }
  });

  it('a transaction that reads before it writes waits for an application holding the write lock, instead of failing busy', async () => {
    const filename = sqliteFile();
    const registry = registryOn(filename);
    const knex = registry.get('data');
    const holder = new Database(filename);
    try {
      await knex.raw('CREATE TABLE t (id integer PRIMARY KEY)');
      holder.exec('BEGIN IMMEDIATE');
      holder.exec('INSERT INTO t (id) VALUES (1)');
      // As provision does: a look at the schema, then DDL, in one transaction.
      const work = knex.transaction(async trx => {
        await trx.raw(`SELECT name FROM sqlite_master WHERE name = 't'`);
        await trx.raw('CREATE TABLE u (id integer PRIMARY KEY)');
      });
      const working = track(work);
      await new Promise(r => setTimeout(r, 300));
      expect(working.isSettled).toBe(false);

      holder.exec('COMMIT');
      await expect(work).resolves.toBeUndefined();
      expect(
        holder.prepare(`SELECT name FROM sqlite_master WHERE name = 'u'`).all(),
      ).toEqual([{ name: 'u' }]);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      await registry.destroy();
    }
  });

  it("verify's read snapshot begins deferred: it reads beside an application holding the write lock", async () => {
    const filename = sqliteFile();
    const registry = registryOn(filename);
    const knex = registry.get('data');
    const holder = new Database(filename);
    try {
      await knex.raw('CREATE TABLE t (id integer PRIMARY KEY)');
      await knex('t').insert({ id: 1 });
      holder.exec('BEGIN IMMEDIATE');
      holder.exec('INSERT INTO t (id) VALUES (2)');
      const rows = await knex.transaction(
        trx => trx('t').select('id'),
        SQLITE_READ_SNAPSHOT,
      );
      expect(rows).toEqual([{ id: 1 }]);
      holder.exec('COMMIT');
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      await registry.destroy();
    }
  });
});
