import type {
  CheckSchema,
  ForeignKeySchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows, firstRow } from './rawRows';
import { closingParen, tokenize, UnreadableSql } from './sqlTokens';

/**
 * The CHECK constraints of a stored CREATE TABLE statement, table- and column-level,
 * named as declared (`CONSTRAINT name CHECK (…)`) or `<table>_check<n>` when unnamed.
 * SQLite keeps no catalog of them, only the statement's text. A text this cannot read
 * for certain yields one check with an empty condition, so the plan says it is not
 * carried instead of dropping it silently.
 */
export function sqliteChecks(createSql: string, table: string): CheckSchema[] {
  let tokens;
  try {
    tokens = tokenize(createSql, 'sqlite');
  } catch (e) {
    if (!(e instanceof UnreadableSql)) throw e;
    return /\bcheck\b/i.test(createSql)
      ? [{ name: `${table}_check`, expression: '' }]
      : [];
  }
  const checks: CheckSchema[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || t.value.toLowerCase() !== 'check') return;
    const open = tokens[i + 1];
    const close = closingParen(tokens, i + 1);
    const named =
      tokens[i - 2]?.kind === 'word' &&
      tokens[i - 2].value.toLowerCase() === 'constraint'
        ? tokens[i - 1]
        : undefined;
    const name = named?.value ?? `${table}_check${checks.length + 1}`;
    if (open?.value !== '(' || close < 0) {
      checks.push({ name, expression: '' });
      return;
    }
    checks.push({
      name,
      expression: createSql.slice(open.end, tokens[close].start).trim(),
    });
  });
  return checks;
}

/**
 * Adds the table's own constraints to an introspected SQLite table: foreign keys from
 * `pragma_foreign_key_list` (a key without referenced columns references the parent's
 * primary key), CHECKs parsed from the stored CREATE TABLE, and which unique indexes
 * are UNIQUE constraints of the CREATE TABLE (`origin` 'u').
 */
export async function withSqliteConstraints(
  knex: Knex,
  table: TableSchema,
): Promise<TableSchema> {
  const schema = table.schema ?? 'main';
  const master = `${
    schema === 'main' ? '' : `"${schema.replace(/"/g, '""')}".`
  }sqlite_master`;
  const created = firstRow(
    await knex.raw(
      `SELECT sql FROM ${master} WHERE type = 'table' AND name = ?`,
      [table.table],
    ),
  );
  const fkRows = allRows(
    await knex.raw(
      `SELECT id, seq, "table" AS ref, "from" AS col, "to" AS refCol, on_update, on_delete
       FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq`,
      [table.table, schema],
    ),
  );
  const byId = new Map<number, ForeignKeySchema>();
  for (const row of fkRows) {
    const id = Number(row.id);
    const key = byId.get(id) ?? {
      name: `${table.table}_fk${id}`,
      columns: [],
      references: { table: String(row.ref), columns: [] },
      onDelete: String(row.on_delete),
      onUpdate: String(row.on_update),
    };
    key.columns.push(String(row.col));
    if (row.refCol !== null) key.references.columns.push(String(row.refCol));
    byId.set(id, key);
  }
  for (const key of byId.values()) {
    if (key.references.columns.length > 0) continue;
    const parentKey = allRows(
      await knex.raw(
        `SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk`,
        [key.references.table, schema],
      ),
    );
    key.references.columns = parentKey.map(r => String(r.name));
  }
  const uniqueConstraints = new Set(
    allRows(
      await knex.raw(
        `SELECT name FROM pragma_index_list(?, ?) WHERE origin = 'u'`,
        [table.table, schema],
      ),
    ).map(r => String(r.name)),
  );
  return {
    ...table,
    indexes: table.indexes.map(index =>
      uniqueConstraints.has(index.name)
        ? { ...index, isConstraint: true }
        : index,
    ),
    foreignKeys: [...byId.values()],
    checks: sqliteChecks(String(created?.sql ?? ''), table.table),
  };
}
