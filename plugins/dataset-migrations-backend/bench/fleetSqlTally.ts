/*
 * FLEET_SQL_TALLY=<file> for `yarn bench:fleet`'s instances: counts every statement an
 * instance sends (to its state database and to the datasets' databases), grouped by
 * database and by the statement's text with table names and numbers masked, with the
 * time from sending it to its answer; the instance writes the tally to <file>.<pid>
 * when it stops, most time first. Divided by the datasets it says how many statements
 * (round trips) one dataset costs, and which ones. A profile, not a test: it patches
 * knex's Client.query, through which every statement and transaction begin/commit goes.
 */
import { writeFileSync } from 'node:fs';
import { Client } from 'knex';

type Entry = { db: string; sql: string; count: number; ms: number };

const tally = new Map<string, Entry>();

/** The statement's shape: whitespace collapsed, the fleet's table names and numbers masked. */
function shape(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/t\d{5}/g, 't#')
    .replace(/dm_pfv_[0-9a-f]+/g, 'dm_pfv_#')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, '#')
    .slice(0, 220);
}

export function startSqlTally(file: string): () => void {
  const proto = Client.prototype as any;
  const query = proto.query;
  proto.query = function tallied(this: any, connection: any, q: any) {
    const sql = typeof q === 'string' ? q : q?.sql ?? String(q);
    const db = String(this.config?.connection?.database ?? '?');
    const key = `${db}\u0000${shape(sql)}`;
    const t0 = process.hrtime.bigint();
    const count = () => {
      let e = tally.get(key);
      if (!e) {
        e = { db, sql: shape(sql), count: 0, ms: 0 };
        tally.set(key, e);
      }
      e.count++;
      e.ms += Number(process.hrtime.bigint() - t0) / 1e6;
    };
    return query.call(this, connection, q).then(
      (r: unknown) => {
        count();
        return r;
      },
      (e: unknown) => {
        count();
        throw e;
      },
    );
  };
  const write = () => {
    const rows = [...tally.values()].sort((a, b) => b.ms - a.ms);
    writeFileSync(
      `${file}.${process.pid}`,
      rows
        .map(r => `${r.count}\t${r.ms.toFixed(0)}\t${r.db}\t${r.sql}`)
        .join('\n'),
    );
  };
  // Written every few seconds too: an instance the benchmark kills writes nothing at exit.
  setInterval(write, 3_000).unref();
  return write;
}
