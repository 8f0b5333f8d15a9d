/* eslint-disable no-console */
/*
 * What the benchmarks share: this machine's PostgreSQL, a logger that keeps quiet but
 * for errors, throwaway connections for admin statements, and the printed table.
 */
import knexFactory from 'knex';

/** This machine's PostgreSQL, as `scripts/test-databases.sh` sets it up. */
export const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: 'postgres',
};

/** The table sizes a benchmark runs: a comma-separated list in `value`, or `fallback`. */
export function sizesFrom(value: string | undefined, fallback: string) {
  return (value ?? fallback).split(',').map(Number);
}

/** The logger the benchmark hands the engine: errors only. */
export const quietLogger: any = {
  info() {},
  warn() {},
  error: console.error,
  debug() {},
  child: () => quietLogger,
};

/** Runs one statement on a connection of its own (CREATE DATABASE, CHECKPOINT). */
export async function runOnce(
  client: 'pg' | 'mysql2',
  connection: object,
  sql: string,
) {
  // A copy: the mysql2 driver may drop the password from the object it was given.
  const k = knexFactory({ client, connection: { ...connection } });
  try {
    await k.raw(sql);
  } finally {
    await k.destroy();
  }
}

/** Drops and creates PostgreSQL database `name` (a benchmark's own, never a user's). */
export async function freshPostgresDatabase(name: string) {
  const admin = { ...PG, database: 'postgres' };
  await runOnce('pg', admin, `DROP DATABASE IF EXISTS ${name}`);
  await runOnce('pg', admin, `CREATE DATABASE ${name}`);
}

/** Prints `rows` under `header` as a Markdown table, each column as wide as its widest cell. */
export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach(r => console.log(line(r)));
}
