import type {
  Finding,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows, firstRow } from '../../dialects/rawRows';
import { dialectForEngine } from '../../dialects';
import type { Dialect } from '../../dialects/Dialect';
import { planConstraints, TargetName } from '../sql/constraintsDdl';

type Planned = Pick<Plan, 'source' | 'target' | 'columns'>;

const WHERE: Record<TargetName['namespace'], string> = {
  relation:
    'index and index-backed constraint names share the schema with its tables',
  'foreign-key': 'foreign key names are unique per database',
  check: 'CHECK constraint names are unique per database',
};

/** The names of `namespace` that stand in the target schema, as stored. */
async function takenNames(
  knex: Knex,
  dialect: Dialect,
  schema: string | undefined,
  namespace: TargetName['namespace'],
): Promise<string[]> {
  if (dialect.engine === 'postgres') {
    if (namespace !== 'relation') return [];
    return allRows(
      await knex.raw(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?`,
        [schema ?? null],
      ),
    ).map(r => String(r.name));
  }
  if (dialect.engine === 'sqlite') {
    const master = schema
      ? `${dialect.quote(schema)}.sqlite_master`
      : 'sqlite_master';
    return allRows(await knex.raw(`SELECT name FROM ${master}`)).map(r =>
      String(r.name),
    );
  }
  if (namespace === 'check') {
    // MariaDB's CHECK names are per table; MySQL's per database.
    const version = String(
      firstRow(await knex.raw('SELECT VERSION() AS v'))?.v ?? '',
    );
    if (/mariadb/i.test(version)) return [];
  }
  return allRows(
    await knex.raw(
      `SELECT CONSTRAINT_NAME AS name FROM information_schema.TABLE_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_TYPE = ?`,
      [schema ?? null, namespace === 'check' ? 'CHECK' : 'FOREIGN KEY'],
    ),
  ).map(r => String(r.name));
}

/**
 * The names the plan gives the new table's constraints and indexes that an object of
 * the target already holds, so creating them would fail mid-migration: blocking
 * findings, found at plan time. PostgreSQL compares exactly (the names are quoted);
 * SQLite and MySQL/MariaDB fold case, so they compare case-insensitively.
 */
export async function findConstraintNameClashes(
  knex: Knex,
  targetDialect: Dialect,
  plan: Planned,
): Promise<Finding[]> {
  const { names } = planConstraints({
    source: plan.source,
    sourceDialect: dialectForEngine(plan.source.engine),
    targetDialect,
    target: { schema: plan.target.schema, table: plan.target.table },
    isSameDatabase: plan.target.isSameDatabase,
    columns: plan.columns,
  });
  const findings: Finding[] = [];
  const fold = (name: string) =>
    targetDialect.engine === 'postgres' ? name : name.toLowerCase();
  const cache = new Map<string, Map<string, string>>();
  for (const planned of names) {
    let taken = cache.get(planned.namespace);
    if (!taken) {
      taken = new Map(
        (
          await takenNames(
            knex,
            targetDialect,
            plan.target.schema,
            planned.namespace,
          )
        ).map(n => [fold(n), n]),
      );
      cache.set(planned.namespace, taken);
    }
    const holder = taken.get(fold(planned.name));
    if (holder === undefined) continue;
    const where = `${plan.target.connection}${
      plan.target.schema ? `:${plan.target.schema}` : ''
    }`;
    findings.push({
      code: 'constraint-name-clash',
      severity: 'blocking',
      message: `The ${planned.what} of the new table ${
        plan.target.table
      } would be named ${planned.name}, but ${where} already holds ${
        holder === planned.name
          ? 'an object of that name'
          : `${holder}, the same name to this engine`
      } (${
        WHERE[planned.namespace]
      }), so creating it would fail. Place the target under another table name with a rule (target.table), or rename that object, then plan again.`,
    });
  }
  return findings;
}
