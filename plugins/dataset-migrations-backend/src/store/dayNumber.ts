import type { Knex } from 'knex';

const MS_PER_DAY = 86_400_000;

/**
 * The UTC day of `column` as a whole number of days since 1970-01-01, computed by the
 * database so that a day-by-day count is one GROUP BY whatever the window holds. Each
 * engine spells "seconds since the epoch" its own way: PostgreSQL and MySQL read their
 * timestamp columns as instants, SQLite holds the milliseconds knex wrote.
 */
export function dayNumber(db: Knex, column: string): Knex.Raw {
  switch (db.client.config.client) {
    case 'pg':
      return db.raw('FLOOR(EXTRACT(EPOCH FROM ??) / 86400)', [column]);
    case 'mysql2':
    case 'mysql':
      return db.raw('FLOOR(UNIX_TIMESTAMP(??) / 86400)', [column]);
    default:
      return db.raw('CAST(?? / ? AS INTEGER)', [column, MS_PER_DAY]);
  }
}

/** `2026-11-29` for a day number of `dayNumber`. */
export const dayOfNumber = (day: number) =>
  new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
