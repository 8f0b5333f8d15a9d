import { deferrableClause } from '../../dialects/referentialAction';
import type {
  ColumnMapping,
  Finding,
  ForeignKeySchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Dialect, TableName } from '../../dialects/Dialect';
import { CheckColumns, columnResolver, renderCheck } from './checkExpression';
import { boundedName, indexName } from '../../dialects/names';

/** A generated constraint or index name, and the namespace where another object could hold it. */
export type TargetName = {
  name: string;
  /**
   * `relation`: the schema's namespace of tables and indexes (PostgreSQL index-backed
   * constraints and indexes; SQLite indexes); `foreign-key`: MySQL/MariaDB's per-database
   * foreign key names; `check`: MySQL's per-database CHECK names. Names that live per
   * table can never clash on a new table and are not listed.
   */
  namespace: 'relation' | 'foreign-key' | 'check';
  /** What it names, for a person: `UNIQUE constraint on (email)`. */
  what: string;
};

/** What the plan does with the table's own constraints. */
export type PlannedConstraints = {
  /** Source indexes that are carried as UNIQUE constraints instead of indexes. */
  asConstraints: Set<string>;
  /** Table constraints written into the CREATE TABLE (CHECK, UNIQUE; SQLite: foreign keys). */
  tableConstraints: string[];
  /**
   * Foreign keys added once the copy and the last catch-up are done, before cutover,
   * validated against the copied rows (`PlanArtifacts.targetConstraints`).
   */
  afterCopy: string[];
  findings: Finding[];
  /** Generated names another object of the target could already hold (checked at plan time). */
  names: TargetName[];
};

export type ConstraintPlanInput = {
  source: TableSchema;
  sourceDialect: Dialect;
  targetDialect: Dialect;
  target: TableName;
  isSameDatabase: boolean;
  columns: Pick<
    ColumnMapping,
    'source' | 'sourceExpression' | 'target' | 'targetType'
  >[];
};

const ACTIONS = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];

const list = (names: string[]) => names.join(', ');

/**
 * Decides, for each of the source table's own constraints, whether the target carries
 * it and how, and says in a finding what changes when it does not. Deterministic in
 * its input (the plan's source snapshot, column mapping and target), so the plan-time
 * name clash check can recompute the names from a stored plan.
 */
export function planConstraints(
  input: ConstraintPlanInput,
): PlannedConstraints {
  const { source, sourceDialect: sd, targetDialect: td, target } = input;
  const findings: Finding[] = [];
  const tableConstraints: string[] = [];
  const afterCopy: string[] = [];
  const names: TargetName[] = [];
  const asConstraints = new Set<string>();
  const label = `${source.schema ? `${source.schema}.` : ''}${source.table}`;

  const fateOf = (
    column: string,
  ): { target: string } | { change: 'changed' | 'dropped' } => {
    const mapping = input.columns.find(c => c.source === column);
    if (!mapping) return { change: 'dropped' };
    return mapping.sourceExpression === sd.quote(column)
      ? { target: mapping.target }
      : { change: 'changed' };
  };
  const columns: CheckColumns = {
    resolve: columnResolver(
      sd.engine,
      source.columns.map(c => c.name),
    ),
    fate: fateOf,
  };
  /** Target names of `names` when every one maps by a plain rename, else why not. */
  const plainly = (cols: string[]): string[] | string => {
    const mapped: string[] = [];
    for (const c of cols) {
      const fate = fateOf(c);
      if (!('target' in fate))
        return `column ${c} is ${
          fate.change === 'dropped'
            ? 'dropped'
            : 'transformed (cast or default fill)'
        }`;
      mapped.push(fate.target);
    }
    return mapped;
  };

  // Names are unique within the plan (PostgreSQL indexes and index-backed constraints
  // share one namespace, MySQL foreign keys a database's), case-insensitively.
  const taken = new Set<string>();
  const claim = (base: string, suffix: string) => {
    let name = boundedName(base, suffix);
    for (let n = 2; taken.has(name.toLowerCase()); n++)
      name = boundedName(base, `_${n}${suffix}`);
    taken.add(name.toLowerCase());
    return name;
  };
  const q = (name: string) => td.quote(name);
  const qs = (cols: string[]) => cols.map(q).join(', ');

  // Unique indexes and constraints. MySQL has no UNIQUE constraint apart from its unique
  // index, whose creation also gives TEXT columns the prefix length MySQL requires.
  for (const index of source.indexes) {
    const cols = plainly(index.columns);
    if (typeof cols === 'string') continue; // SqlAgent leaves such an index out
    if (index.isConstraint && index.isUnique && td.engine !== 'mysql') {
      asConstraints.add(index.name);
      const name = claim(`${target.table}_${cols.join('_')}`, '_key');
      tableConstraints.push(`CONSTRAINT ${q(name)} UNIQUE (${qs(cols)})`);
      if (td.engine === 'postgres')
        names.push({
          name,
          namespace: 'relation',
          what: `UNIQUE constraint on (${list(cols)})`,
        });
    } else {
      const name = indexName(target.table, cols, index.isUnique);
      taken.add(name.toLowerCase());
      if (td.engine !== 'mysql')
        names.push({
          name,
          namespace: 'relation',
          what: `${index.isUnique ? 'unique ' : ''}index on (${list(cols)})`,
        });
    }
  }

  for (const check of source.checks ?? []) {
    const rendered = renderCheck(check.expression, sd.engine, td, columns);
    if ('reason' in rendered) {
      findings.push({
        code: 'constraint-not-carried',
        severity: 'warning',
        message: `CHECK constraint ${check.name} of ${label} (${
          check.expression || 'unreadable'
        }) is not carried to ${target.table}: ${
          rendered.reason
        }. The new table accepts rows it refused; add an equivalent CHECK on ${
          target.table
        } after the migration if writers rely on it.`,
      });
      continue;
    }
    const stem = check.name
      .replace(
        new RegExp(`^${source.table.replace(/[^A-Za-z0-9_]/g, '\\$&')}_`),
        '',
      )
      .replace(/_check$/, '');
    const name = claim(`${target.table}_${stem}`, '_check');
    tableConstraints.push(`CONSTRAINT ${q(name)} CHECK (${rendered.sql})`);
    if (td.engine === 'mysql')
      names.push({
        name,
        namespace: 'check',
        what: `CHECK constraint from ${check.name}`,
      });
  }

  for (const key of source.foreignKeys ?? []) {
    const outcome = planForeignKey(input, key, plainly);
    if ('reason' in outcome) {
      findings.push({
        code: 'constraint-not-carried',
        severity: 'warning',
        message: `Foreign key ${key.name} of ${label} (${list(
          key.columns,
        )}) referencing ${
          key.references.schema ? `${key.references.schema}.` : ''
        }${key.references.table} (${list(
          key.references.columns,
        )}) is not carried to ${target.table}: ${
          outcome.reason
        }. Referential integrity of these columns is no longer enforced by the database: writers of ${
          target.table
        } must keep it themselves.`,
      });
      continue;
    }
    const name = claim(`${target.table}_${outcome.columns.join('_')}`, '_fkey');
    if (key.deferrable && td.engine === 'mysql') {
      findings.push({
        code: 'constraint-not-carried',
        severity: 'warning',
        message: `Foreign key ${key.name} of ${
          source.table
        } is deferrable (checked ${
          key.deferrable === 'deferred'
            ? 'at commit'
            : 'when a transaction defers it'
        }); on ${
          target.table
        } it is checked at each statement, as MySQL/MariaDB checks every foreign key: a transaction that inserts a child before its parent now fails. Insert parents first.`,
      });
    }
    const clause = `FOREIGN KEY (${qs(outcome.columns)}) REFERENCES ${
      outcome.parentSql
    } (${qs(outcome.parentColumns)}) ON DELETE ${key.onDelete} ON UPDATE ${
      key.onUpdate
    }${td.engine === 'mysql' ? '' : deferrableClause(key.deferrable)}`;
    if (td.engine === 'sqlite') {
      tableConstraints.push(`CONSTRAINT ${q(name)} ${clause}`);
    } else if (td.engine === 'postgres') {
      // NOT VALID, then VALIDATE: the parent is locked only briefly, and the check of the
      // copied rows takes a lock that lets the parent's writers go on.
      afterCopy.push(
        `ALTER TABLE ${td.qualify(target)} ADD CONSTRAINT ${q(
          name,
        )} ${clause} NOT VALID`,
        `ALTER TABLE ${td.qualify(target)} VALIDATE CONSTRAINT ${q(name)}`,
      );
    } else {
      afterCopy.push(
        `ALTER TABLE ${td.qualify(target)} ADD CONSTRAINT ${q(name)} ${clause}`,
      );
      names.push({
        name,
        namespace: 'foreign-key',
        what: `foreign key from ${key.name}`,
      });
    }
  }
  return { asConstraints, tableConstraints, afterCopy, findings, names };
}

type ForeignKeyOutcome =
  | { columns: string[]; parentSql: string; parentColumns: string[] }
  | { reason: string };

function planForeignKey(
  input: ConstraintPlanInput,
  key: ForeignKeySchema,
  plainly: (cols: string[]) => string[] | string,
): ForeignKeyOutcome {
  const { source, targetDialect: td, target } = input;
  const ref = key.references;
  const isSelf =
    ref.table === source.table &&
    (ref.schema ?? source.schema ?? '') === (source.schema ?? '');
  for (const action of [key.onDelete, key.onUpdate]) {
    if (!ACTIONS.includes(action))
      return { reason: `its action ${action} is not one the planner knows` };
    if (action === 'SET DEFAULT' && td.engine === 'mysql')
      return {
        reason: 'MySQL/MariaDB (InnoDB) has no ON DELETE/UPDATE SET DEFAULT',
      };
  }
  const columns = plainly(key.columns);
  if (typeof columns === 'string') return { reason: columns };
  if (isSelf) {
    const parentColumns = plainly(ref.columns);
    if (typeof parentColumns === 'string') return { reason: parentColumns };
    if (td.engine === 'sqlite')
      return {
        reason:
          'SQLite cannot add a foreign key to a table once it is filled, and one declared before the copy would refuse rows whose parent is copied later (and cascade the deletes catch-up replays)',
      };
    return { columns, parentColumns, parentSql: td.qualify(target) };
  }
  if (!input.isSameDatabase)
    return {
      reason: `the referenced table stays in the source database, out of reach of a foreign key on the target ${input.targetDialect.engine} database`,
    };
  const textColumns = columns.filter(c =>
    ['char', 'varchar', 'text'].includes(
      td.toLogical(input.columns.find(m => m.target === c)?.targetType ?? '')
        .kind,
    ),
  );
  if (td.engine === 'mysql' && textColumns.length > 0)
    // The new table's text is utf8mb4_bin, and InnoDB refuses a foreign key between
    // text columns of different collations, which the parent's may well have.
    return {
      reason: `its text column(s) ${list(
        textColumns,
      )} are created with collation utf8mb4_bin, and MySQL/MariaDB refuse a foreign key between text columns of different collations. Once the parent's columns have the same collation, add it with ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`,
    };
  if (td.engine === 'sqlite' && (target.schema ?? '') !== (source.schema ?? ''))
    return {
      reason: 'SQLite foreign keys reach only tables of their own schema',
    };
  return {
    columns,
    parentColumns: ref.columns,
    parentSql:
      td.engine === 'sqlite'
        ? td.quote(ref.table)
        : td.qualify({ schema: ref.schema ?? source.schema, table: ref.table }),
  };
}

/**
 * The CREATE TABLE with `constraints` added as table constraints: every dialect's
 * CREATE TABLE ends its column list with a line break and `)`, before any table options.
 */
export function withTableConstraints(
  createTable: string,
  constraints: string[],
): string {
  if (constraints.length === 0) return createTable;
  const end = createTable.lastIndexOf('\n)');
  if (end < 0) throw new Error('CREATE TABLE without a closing column list');
  return `${createTable.slice(0, end)},\n${constraints
    .map(c => `  ${c}`)
    .join(',\n')}${createTable.slice(end)}`;
}
