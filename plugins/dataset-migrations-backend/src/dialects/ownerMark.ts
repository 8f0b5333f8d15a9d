import type { Relation, TableName } from './Dialect';

const PREFIX = 'Created by dataset migration ';

/**
 * The mark a migration leaves on a table it creates (a table comment, or on SQLite a
 * comment kept in the stored CREATE TABLE text): undo drops only tables carrying its
 * own mark, so a table someone else made under the same name is never touched.
 */
export function ownerMark(owner: string): string {
  // The mark goes into comments and literals: only ids that cannot end either.
  if (!/^[A-Za-z0-9_-]+$/.test(owner)) {
    throw new Error(
      `Migration id ${JSON.stringify(
        owner,
      )} cannot be written into a table's owner mark; ids are letters, digits, - and _`,
    );
  }
  return `${PREFIX}${owner}`;
}

/** The owner named by a mark found in `text` (a comment or CREATE TABLE text), if any. */
export function ownerInMark(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  return new RegExp(`${PREFIX}([A-Za-z0-9_-]+)`).exec(text)?.[1];
}

/** Keeps the relations an engine would take for `table`: exact, or equal once folded. */
export function clashingRelations(
  found: Relation[],
  table: string,
  fold: ((name: string) => string) | undefined,
): Relation[] {
  return found.filter(
    r =>
      r.name === table || (fold !== undefined && fold(r.name) === fold(table)),
  );
}

/** ASCII-only lower case: how SQLite and PostgreSQL fold identifiers. */
export const asciiLower = (name: string) =>
  name.replace(/[A-Z]/g, c => c.toLowerCase());

/** `schema.table` for messages. */
export const shownName = (name: TableName) =>
  name.schema ? `${name.schema}.${name.table}` : name.table;
