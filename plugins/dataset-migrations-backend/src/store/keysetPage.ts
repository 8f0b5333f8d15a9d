import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';

/** Where a page ended: the sort column's value and the unique key that breaks its ties. */
export type Keyset = { value: string | Date; id: string };

/** The sort column (or an expression of it) and the unique column that breaks ties. */
export type KeysetOrder = {
  column: string | Knex.Raw;
  tie: string;
  order: 'asc' | 'desc';
};

const isMySQL = (db: Knex) =>
  ['mysql', 'mysql2'].includes(db.client.config.client);

/**
 * Keeps the rows after `after` in the order (column, tie) `order`. PostgreSQL and
 * SQLite compare the row value `(column, id)` in one go and range over an index on
 * (column, id). MySQL/MariaDB accept the syntax but do not range over it (they scan),
 * so there it is spelled as `column <= v AND (column < v OR id < id0)`: the first
 * condition bounds the scan, the second drops the cursor's own value at ids already
 * shown. An OR at the top level is not a range on any engine.
 */
export function whereAfter(
  db: Knex,
  q: Knex.QueryBuilder,
  { column, tie, order }: KeysetOrder,
  after: Keyset,
): void {
  const op = order === 'desc' ? '<' : '>';
  if (!isMySQL(db)) {
    q.whereRaw(`(??, ??) ${op} (?, ?)`, [column, tie, after.value, after.id]);
    return;
  }
  q.whereRaw(`?? ${op}= ?`, [column, after.value]).andWhere(b =>
    b.whereRaw(`?? ${op} ?`, [column, after.value]).orWhere(tie, op, after.id),
  );
}

/** ORDER BY (column, tie), both in `order`: a total order, so pages never overlap. */
export function orderByKeyset(
  q: Knex.QueryBuilder,
  { column, tie, order }: KeysetOrder,
): void {
  q.orderByRaw(`?? ${order}, ?? ${order}`, [column, tie]);
}

/**
 * Rows where any of `columns` holds `text`, case-insensitively. The text is bound,
 * never spliced into the SQL, and its LIKE wildcards are escaped so `50%_off` finds
 * that text and not any row: `!` is the escape character because a backslash means
 * something else inside MySQL's string literals than inside PostgreSQL's.
 */
export function whereContains(
  q: Knex.QueryBuilder,
  columns: string[],
  text: string,
): void {
  const pattern = `%${text.toLowerCase().replace(/[!%_]/g, c => `!${c}`)}%`;
  q.where(b => {
    for (const column of columns)
      b.orWhereRaw(`lower(??) like ? escape '!'`, [column, pattern]);
  });
}

/**
 * A cursor names the order it was made under: a page asked under another order
 * would start at a place that means nothing there, so that is refused.
 */
export function encodeKeysetCursor(
  orderBy: string,
  order: string,
  at: { value: string; id: string },
): string {
  return Buffer.from(
    JSON.stringify([orderBy, order, at.value, at.id]),
  ).toString('base64url');
}

export function decodeKeysetCursor(
  cursor: string,
  orderBy: string,
  order: string,
): { value: string; id: string } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 4 ||
    !parts.every(p => typeof p === 'string')
  ) {
    throw new InputError(
      'cursor is not one this API returned; start again without it',
    );
  }
  const [cursorOrderBy, cursorOrder, value, id] = parts as string[];
  if (cursorOrderBy !== orderBy || cursorOrder !== order) {
    throw new InputError(
      `cursor was made for orderBy=${cursorOrderBy}&order=${cursorOrder}, not orderBy=${orderBy}&order=${order}; start again without it`,
    );
  }
  return { value, id };
}
