import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code, as text: a file next to this one would be neither transpiled in
 * tests nor bundled into the plugin's build, while text runs the same everywhere. It
 * opens the one better-sqlite3 connection on the database file and runs one statement
 * per message, as knex's better-sqlite3 client would. `dm_md5_32` must match
 * `md5First32` (../dialects/md5_32.ts), which the generated checksums call:
 * sqliteThread.test.ts compares the two.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, workerData.options);
db.function('dm_md5_32', { deterministic: true }, value => {
  if (value === null || value === undefined) return null;
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
  return crypto.createHash('md5').update(bytes).digest().readUInt32BE(0);
});
// A structured clone turns a Buffer into a plain Uint8Array; the driver binds Buffers.
const asBuffer = v =>
  v instanceof Uint8Array && !Buffer.isBuffer(v)
    ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
    : v;
parentPort.on('message', ({ id, sql, bindings }) => {
  try {
    const statement = db.prepare(sql);
    const values = bindings.map(asBuffer);
    const result = statement.reader ? statement.all(values) : statement.run(values);
    parentPort.postMessage({ id, result });
  } catch (e) {
    parentPort.postMessage({
      id,
      error: { message: String(e && e.message), code: e && e.code },
    });
  }
});
parentPort.postMessage({ id: 0, result: 'open' });
`;

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** Turns the Uint8Arrays a structured clone made of Buffers back into Buffers. */
function asBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) return value.map(asBuffers);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, asBuffers(v)]),
    );
  }
  return value;
}

/**
 * A better-sqlite3 connection that lives in a `node:worker_threads` worker. The driver
 * is synchronous: on the main thread a long statement (a whole-table copy, a checksum
 * scan, an index build) stops every request and timer of the backend until it ends.
 * Here the main thread only waits for an answer. `query` answers what the driver
 * answers: the rows of a reading statement, otherwise `{ changes, lastInsertRowid }`.
 */
export class SqliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly opened: Promise<unknown>;
  private nextId = 1;
  private failure: Error | undefined;

  constructor(filename: string, options: Record<string, unknown> = {}) {
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        filename: path.resolve(filename),
        options,
      },
    });
    this.opened = new Promise((resolve, reject) =>
      this.pending.set(0, { resolve, reject }),
    );
    // Read by `open` and `query`; a failure nobody asked about yet is no news.
    this.opened.catch(() => undefined);
    this.worker.on('message', ({ id, result, error }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (!waiting) return;
      if (error) waiting.reject(Object.assign(new Error(error.message), error));
      else waiting.resolve(asBuffers(result));
    });
    this.worker.on('error', e => this.fail(e as Error));
    this.worker.on('exit', () =>
      this.fail(new Error(`The SQLite connection to ${filename} was closed`)),
    );
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.pending.forEach(p => p.reject(this.failure!));
    this.pending.clear();
  }

  /** False once the thread has ended or failed: the pool then opens another. */
  get isOpen(): boolean {
    return this.failure === undefined;
  }

  /** Resolves once the database is open (rejects when it cannot be). */
  async open(): Promise<this> {
    await this.opened;
    return this;
  }

  async query(sql: string, bindings: unknown[] = []): Promise<unknown> {
    await this.opened;
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const answer = new Promise((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    this.worker.postMessage({ id, sql, bindings });
    return answer;
  }

  /** Ends the thread and its connection (SQLite rolls back what was left open). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
