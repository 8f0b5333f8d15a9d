import type {
  IncomingForeignKeySchema,
  PlanArtifacts,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Dialect, TableName } from '../../dialects/Dialect';
import {
  deferrableClause,
  referentialAction,
} from '../../dialects/referentialAction';

/**
 * A foreign key of another table that cutover moves from the source to the new table:
 * `references.columns` are the source's column names, `targetColumns` the new table's.
 */
export type RepointedForeignKey = IncomingForeignKeySchema & {
  targetColumns: string[];
};

/** Where one foreign key is dropped and added again, referencing `to`. */
export function repointStatement(
  d: Dialect,
  fk: IncomingForeignKeySchema,
  to: TableName,
  columns: string[],
): [drop: string, add: string] {
  const from = d.qualify(fk.from);
  const name = d.quote(fk.name);
  const list = (names: string[]) => names.map(n => d.quote(n)).join(', ');
  const add = `ALTER TABLE ${from} ADD CONSTRAINT ${name} FOREIGN KEY (${list(
    fk.columns,
  )}) REFERENCES ${d.qualify(to)} (${list(
    columns,
  )}) ON DELETE ${referentialAction(fk.onDelete)} ON UPDATE ${referentialAction(
    fk.onUpdate,
  )}${d.engine === 'mysql' ? '' : deferrableClause(fk.deferrable)}`;
  if (d.engine === 'mysql') {
    return [`ALTER TABLE ${from} DROP FOREIGN KEY ${name}`, add];
  }
  // NOT VALID: no scan of the referencing table under the cutover's locks; validated after.
  return [`ALTER TABLE ${from} DROP CONSTRAINT ${name}`, `${add} NOT VALID`];
}

/**
 * The statements that move the foreign keys of other tables from the source to the new
 * table at cutover, and back on rollback: two per key, in the plan's order, which the
 * executor relies on. Only `view` plans on PostgreSQL and MySQL/MariaDB have them;
 * the lint blocks every other plan of a referenced table.
 */
export function repointForeignKeysArtifacts(
  d: Dialect,
  keys: RepointedForeignKey[],
  source: TableName,
  target: TableName,
): Pick<
  PlanArtifacts,
  | 'incomingForeignKeys'
  | 'incomingForeignKeysRollback'
  | 'incomingForeignKeysValidation'
> {
  if (keys.length === 0 || d.engine === 'sqlite') return {};
  return {
    incomingForeignKeys: keys.flatMap(fk =>
      repointStatement(d, fk, target, fk.targetColumns),
    ),
    incomingForeignKeysRollback: keys.flatMap(fk =>
      repointStatement(d, fk, source, fk.references.columns),
    ),
    ...(d.engine === 'postgres'
      ? {
          incomingForeignKeysValidation: keys.map(
            fk =>
              `ALTER TABLE ${d.qualify(fk.from)} VALIDATE CONSTRAINT ${d.quote(
                fk.name,
              )}`,
          ),
        }
      : {}),
  };
}
