import type { TableName, Dialect } from '../../dialects/Dialect';
import { stringLiteral } from '../../dialects/common';
import type { ModelColumn } from './ArtifactModel';

/**
 * The statements that bring the target's identities up to the rows it holds, run at
 * cutover (plan artifact `identitySync`). Only PostgreSQL needs any: the copy writes the
 * source's keys, which never advance a sequence, while MySQL/MariaDB's AUTO_INCREMENT
 * and SQLite's rowid (AUTOINCREMENT's sqlite_sequence too) move past every key written.
 * Each sequence goes to the larger of the column's maximum and where it stands already,
 * so a repeated cutover never moves it back; an ALWAYS identity, created BY DEFAULT for
 * the copy, becomes ALWAYS.
 */
export function identitySyncStatements(
  td: Dialect,
  target: TableName,
  columns: Array<Pick<ModelColumn, 'target' | 'identity'>>,
): string[] {
  if (td.engine !== 'postgres') return [];
  const table = td.qualify(target);
  return columns.flatMap(c => {
    if (!c.identity) return [];
    const sequence = `pg_get_serial_sequence(${stringLiteral(
      table,
      false,
    )}, ${stringLiteral(c.target, false)})`;
    const statements = [
      `SELECT setval(s.seq, GREATEST(s.high, 1), s.high >= 1)
FROM (SELECT ${sequence} AS seq,
             GREATEST(COALESCE((SELECT MAX(${td.quote(
               c.target,
             )}) FROM ${table}), 0),
                      COALESCE(pg_sequence_last_value(${sequence}::regclass), 0)) AS high) s`,
    ];
    if (c.identity.generation === 'always') {
      statements.push(
        `ALTER TABLE ${table} ALTER COLUMN ${td.quote(
          c.target,
        )} SET GENERATED ALWAYS`,
      );
    }
    return statements;
  });
}

/** The plan's `identitySync` artifact, absent where there is nothing to position. */
export function identitySyncArtifact(model: {
  targetDialect: Dialect;
  target: TableName;
  columns: Array<Pick<ModelColumn, 'target' | 'identity'>>;
}): { identitySync?: string[] } {
  const statements = identitySyncStatements(
    model.targetDialect,
    model.target,
    model.columns,
  );
  return statements.length ? { identitySync: statements } : {};
}
