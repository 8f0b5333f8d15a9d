import type {
  ColumnMapping,
  CompatibilityMode,
  Finding,
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Dialect, TableName } from '../../dialects/Dialect';
import { backupTableName } from '../../dialects/names';
import type { RepointedForeignKey } from '../sql/repointForeignKeys';

const capitalized = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

const label = (name: TableName) =>
  `${name.schema ? `${name.schema}.` : ''}${name.table}`;

/** Whether the new table holds a key a foreign key can reference on `columns`. */
function hasKeyOn(
  d: Dialect,
  columns: string[],
  primaryKey: string[],
  indexes: IndexSchema[],
): boolean {
  // PostgreSQL takes the key's columns in any order; InnoDB wants them in index order.
  const isSame = (key: string[]) =>
    key.length === columns.length &&
    (d.engine === 'mysql'
      ? key.every((c, i) => c === columns[i])
      : key.every(c => columns.includes(c)));
  return (
    isSame(primaryKey) || indexes.some(i => i.isUnique && isSame(i.columns))
  );
}

/** Why the new table's column cannot be referenced where the source's was, if it cannot. */
function typeChange(d: Dialect, m: ColumnMapping): string | undefined {
  if (m.sourceType === null) return undefined;
  const before = JSON.stringify(d.toLogical(m.sourceType));
  const after = JSON.stringify(d.toLogical(m.targetType));
  // InnoDB refuses a key whose sign differs; the type map widens unsigned integers.
  const isSignChanged =
    /\bunsigned\b/i.test(m.sourceType) !== /\bunsigned\b/i.test(m.targetType);
  if (before === after && !(d.engine === 'mysql' && isSignChanged))
    return undefined;
  return `${m.source} becomes ${m.targetType} (it is ${m.sourceType}, as ${m.source} is in the referencing table)`;
}

export type IncomingForeignKeysInput = {
  source: TableSchema;
  sourceDialect: Dialect;
  target: TableName;
  targetConnection: string;
  compatibility: CompatibilityMode;
  columns: ColumnMapping[];
  /** The new table's primary key and indexes, by target column names. */
  primaryKey: string[];
  indexes: IndexSchema[];
};

/**
 * What happens to each foreign key of another table that references the migrated one.
 * Same database (PostgreSQL, MySQL/MariaDB): cutover re-points it to the new table
 * (a warning: the plan alters that table), unless the new table could not be
 * referenced the same way (blocking). Otherwise the foreign key would stay on the
 * source or its backup, so writes through the view fail it and cleanup can never drop
 * what it references: blocking, with what to do.
 */
export function findIncomingForeignKeys(input: IncomingForeignKeysInput): {
  findings: Finding[];
  keys: RepointedForeignKey[];
} {
  const { source, sourceDialect: d, target } = input;
  const findings: Finding[] = [];
  const keys: RepointedForeignKey[] = [];
  const table = label(source);
  const movedTo = `${input.targetConnection}:${label(target)}`;
  for (const fk of source.referencedBy ?? []) {
    const what = `Foreign key ${fk.name} of ${label(
      fk.from,
    )} (${fk.columns.join(
      ', ',
    )}) references ${table} (${fk.references.columns.join(', ')})`;
    const block = (message: string) =>
      findings.push({
        code: 'incoming-foreign-key',
        severity: 'blocking',
        message: `${what}: ${message}`,
      });
    const dropIt =
      d.engine === 'sqlite'
        ? `rebuild ${label(fk.from)} without it`
        : `drop it (ALTER TABLE ${d.qualify(fk.from)} DROP ${
            d.engine === 'mysql' ? 'FOREIGN KEY' : 'CONSTRAINT'
          } ${d.quote(fk.name)})`;
    if (input.compatibility !== 'view') {
      block(
        `a foreign key cannot reference a table in another database, so it would keep referencing ${table}, which cleanup could then never drop (finalize would fail for good), and rows of ${label(
          fk.from,
        )} would no longer be checked against the data that moved. ${capitalized(
          dropIt,
        )} and plan again; re-create it on ${
          input.targetConnection
        } once ${label(fk.from)} has moved there too.`,
      );
      continue;
    }
    if (d.engine === 'sqlite') {
      block(
        `SQLite cannot alter a foreign key, so it would follow ${table} to its backup ${backupTableName(
          source.table,
        )}: inserts into ${label(
          fk.from,
        )} that reference rows added through the compatibility view would be refused, and dropping the backup at cleanup would fail${
          fk.onDelete === 'CASCADE'
            ? ` or, with ON DELETE CASCADE, delete the rows of ${label(
                fk.from,
              )}`
            : ''
        }. ${capitalized(
          dropIt,
        )} (the foreign key can be added back referencing ${
          target.table
        } after the move), then plan again.`,
      );
      continue;
    }
    const mappings = fk.references.columns.map(c =>
      input.columns.find(m => m.source === c),
    );
    const missing = fk.references.columns.filter((_c, i) => !mappings[i]);
    if (missing.length > 0) {
      block(
        `the new table ${movedTo} has no column for ${missing.join(
          ', ',
        )} (a rule drops it), so the foreign key cannot be moved to it at cutover. Keep the column, or ${dropIt}, then plan again.`,
      );
      continue;
    }
    const changes = mappings.flatMap(m => typeChange(d, m!) ?? []);
    if (changes.length > 0) {
      block(
        `on the new table ${movedTo}, ${changes.join(
          '; ',
        )}, so the foreign key could not reference it after cutover. Remove the cast of the referenced column(s), or ${dropIt}, then plan again.`,
      );
      continue;
    }
    const targetColumns = mappings.map(m => m!.target);
    if (!hasKeyOn(d, targetColumns, input.primaryKey, input.indexes)) {
      block(
        `the new table ${movedTo} has no primary key or unique index on (${targetColumns.join(
          ', ',
        )}), which a foreign key needs to reference. Give ${table} a unique index on those columns so the plan carries it, or ${dropIt}, then plan again.`,
      );
      continue;
    }
    keys.push({ ...fk, targetColumns });
    findings.push({
      code: 'incoming-foreign-key',
      severity: 'warning',
      message: `${what}: at cutover it is re-pointed to ${label(
        target,
      )} (${targetColumns.join(', ')}), keeping its name and actions: ${label(
        fk.from,
      )} is altered, under a short lock. Rollback points it back to ${table}; after finalize it references only the new table.`,
    });
  }
  return { findings, keys };
}
