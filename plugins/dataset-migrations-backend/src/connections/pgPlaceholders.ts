import knexFactory, { Knex } from 'knex';

/**
 * knex's PostgreSQL client turns every `?` of a statement into `$1`, `$2`, ... — also
 * the `?` inside a string literal or a quoted name, even when the statement has no
 * bindings, so a rule default `'why?'` would reach the database as `'why$1'`. This
 * does what knex does, but only outside literals, quoted names, dollar-quoted bodies
 * and comments, where a placeholder can stand. `\?` stays a literal `?`, as in knex.
 */
export function positionPgBindings(sql: string): string {
  let out = '';
  let count = 0;
  let i = 0;
  const copyUntil = (end: string, from: number) => {
    const stop = sql.indexOf(end, from);
    const last = stop === -1 ? sql.length : stop + end.length;
    out += sql.slice(i, last);
    i = last;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // A doubled quote inside is part of the text: the next single quote ends it.
      let j = i + 1;
      for (;;) {
        const stop = sql.indexOf(c, j);
        if (stop === -1 || sql[stop + 1] !== c) {
          j = stop === -1 ? sql.length : stop + 1;
          break;
        }
        j = stop + 2;
      }
      out += sql.slice(i, j);
      i = j;
    } else if (c === '-' && sql[i + 1] === '-') {
      copyUntil('\n', i);
    } else if (c === '/' && sql[i + 1] === '*') {
      copyUntil('*/', i + 2);
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      copyUntil(tag, i + tag.length);
    } else if (c === '\\' && sql[i + 1] === '?') {
      out += '?';
      i += 2;
    } else if (c === '?') {
      out += `$${++count}`;
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

type KnexClientClass = typeof Knex.Client;
let pgClientClass: KnexClientClass | undefined;

/**
 * knex's PostgreSQL client with `positionPgBindings` for its placeholders, as a class:
 * knex builds each transaction's client from the class's prototype, so a method set
 * on one client instance is gone inside every transaction (where the copy and the
 * target DDL run).
 */
export function pgClientWithPositionedBindings(): KnexClientClass {
  if (!pgClientClass) {
    // No connection: the probe only lends its class, and opens no pool.
    const Base = knexFactory({ client: 'pg' }).client
      .constructor as KnexClientClass;
    pgClientClass = class extends Base {
      positionBindings(sql: string): string {
        return positionPgBindings(sql);
      }
    };
  }
  return pgClientClass;
}
