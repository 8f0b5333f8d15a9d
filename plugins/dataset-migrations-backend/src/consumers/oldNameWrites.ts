import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerTableName } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';
import { allRows } from '../dialects/rawRows';
import type { ParitySides } from './paritySides';

/** What a write does to the table it names; null when its first word does not say (`WITH`). */
export type WriteVerb = 'insert' | 'update' | 'delete' | null;

export function writeVerbOf(sql: string): WriteVerb {
  const word = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(\w+)/
    .exec(sql)?.[1]
    ?.toLowerCase();
  if (word === 'insert' || word === 'replace') return 'insert';
  if (word === 'update' || word === 'delete') return word;
  return null;
}

/** The freeze triggers the executor puts on a source: `dm_ro_` (paused), `dm_mv_` (moved). */
const PAUSE = /^dm_ro_/;
const MOVED = /^dm_mv_/;

/** Storage engines whose writes a rollback undoes (MySQL/MariaDB). */
const TRANSACTIONAL = new Set(['innodb', 'rocksdb', 'tokudb']);

type Standing = {
  kind: 'table' | 'view' | 'missing';
  /** Trigger names on the table. */
  triggers: string[];
  /** A view: whether it takes this verb; a MySQL table: its storage engine. */
  isWritable?: boolean;
  storageEngine?: string;
};

const label = (name: ConsumerTableName) =>
  name.schema ? `${name.schema}.${name.table}` : name.table;

async function rows(knex: Knex, sql: string, bindings: unknown[]) {
  return allRows(await knex.raw(sql, bindings as Knex.RawBinding[]));
}

async function sqliteStanding(
  knex: Knex,
  name: ConsumerTableName,
): Promise<Standing> {
  const found = await rows(
    knex,
    `SELECT type, name FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'view', 'trigger')`,
    [name.table],
  );
  const kind = found.find(r => r.type === 'table' || r.type === 'view')?.type;
  const triggers = found
    .filter(r => r.type === 'trigger')
    .map(r => String(r.name));
  return {
    kind: (kind as 'table' | 'view' | undefined) ?? 'missing',
    triggers,
    // Only INSTEAD OF triggers make a SQLite view take writes; the compatibility view has none.
    isWritable: kind === 'view' ? triggers.length > 0 : true,
  };
}

async function postgresStanding(
  knex: Knex,
  name: ConsumerTableName,
  verb: WriteVerb,
): Promise<Standing> {
  const schema = [name.schema ?? null, name.table];
  const [relation] = await rows(
    knex,
    `SELECT c.relkind AS kind FROM pg_class c
      WHERE c.oid = to_regclass(format('%I.%I', COALESCE(?::text, current_schema()), ?::text))`,
    schema,
  );
  if (!relation) return { kind: 'missing', triggers: [] };
  if (relation.kind === 'v') {
    const [view] = await rows(
      knex,
      `SELECT is_insertable_into, is_updatable, is_trigger_insertable_into,
              is_trigger_updatable, is_trigger_deletable
         FROM information_schema.views
        WHERE table_schema = COALESCE(?::text, current_schema()) AND table_name = ?::text`,
      schema,
    );
    const yes = (column: string) => view?.[column] === 'YES';
    // Per verb: auto-updatable, or made writable by INSTEAD OF triggers. Not known
    // which (`WITH`): the run says.
    const takes: Record<string, boolean> = {
      insert: yes('is_insertable_into') || yes('is_trigger_insertable_into'),
      update: yes('is_updatable') || yes('is_trigger_updatable'),
      delete: yes('is_updatable') || yes('is_trigger_deletable'),
    };
    const isWritable = verb ? takes[verb] : true;
    return { kind: 'view', triggers: [], isWritable };
  }
  const triggers = await rows(
    knex,
    `SELECT tgname AS name FROM pg_trigger
      WHERE NOT tgisinternal
        AND tgrelid = to_regclass(format('%I.%I', COALESCE(?::text, current_schema()), ?::text))`,
    schema,
  );
  return { kind: 'table', triggers: triggers.map(t => String(t.name)) };
}

async function mysqlStanding(
  knex: Knex,
  name: ConsumerTableName,
): Promise<Standing> {
  const schema = [name.schema ?? null, name.table];
  const [table] = await rows(
    knex,
    `SELECT t.TABLE_TYPE AS type, t.ENGINE AS engine, v.IS_UPDATABLE AS updatable
       FROM information_schema.TABLES t
       LEFT JOIN information_schema.VIEWS v
         ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME
      WHERE t.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND t.TABLE_NAME = ?`,
    schema,
  );
  if (!table) return { kind: 'missing', triggers: [] };
  if (table.type === 'VIEW')
    return {
      kind: 'view',
      triggers: [],
      isWritable: table.updatable === 'YES',
    };
  const triggers = await rows(
    knex,
    `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS
      WHERE EVENT_OBJECT_SCHEMA = COALESCE(?, DATABASE()) AND EVENT_OBJECT_TABLE = ?`,
    schema,
  );
  return {
    kind: 'table',
    triggers: triggers.map(t => String(t.name)),
    storageEngine: String(table.engine ?? ''),
  };
}

function standing(
  knex: Knex,
  engine: Engine,
  name: ConsumerTableName,
  verb: WriteVerb,
): Promise<Standing> {
  if (engine === 'postgres') return postgresStanding(knex, name, verb);
  if (engine === 'mysql') return mysqlStanding(knex, name);
  return sqliteStanding(knex, name);
}

/** A MySQL/MariaDB table whose writes a rollback would not undo: nothing may run on it. */
function notTransactional(
  engine: Engine,
  at: Standing,
  name: ConsumerTableName,
): string | null {
  if (engine !== 'mysql' || at.kind !== 'table') return null;
  if (TRANSACTIONAL.has((at.storageEngine ?? '').toLowerCase())) return null;
  return `not proven: ${label(name)} is stored by ${
    at.storageEngine || 'an unknown engine'
  }, whose writes a rollback does not undo, so the write was not run; review this rewrite before merging it`;
}

/**
 * Why a write cannot be checked now, or null when both sides take it and roll it back.
 * The old name takes no writes when it is the frozen source after cutover, a paused
 * source just before it, a SQLite view, or a PostgreSQL/MariaDB view that is not
 * updatable for this verb: the original cannot run, so there is nothing to compare
 * the rewrite with, and it stays unproven rather than blamed. A write the old name
 * should take but refuses for another reason is caught when it runs.
 */
export async function whyNoWriteParity(
  sides: ParitySides,
  verb: WriteVerb,
): Promise<string | null> {
  const { engine, oldName } = sides;
  const old = label(oldName);
  const unchecked =
    'so the original cannot run to compare with; review this rewrite before merging it';
  if (sides.isCutOver && sides.compatibility === 'frozen-source') {
    return `not proven: the old name ${old} takes no writes now (it is the frozen source, read-only until cleanup), ${unchecked}`;
  }
  const at = await standing(sides.oldSide, engine, oldName, verb);
  if (at.kind === 'missing') {
    return `not proven: nothing stands at the old name ${old} now, ${unchecked}`;
  }
  if (at.kind === 'view' && !at.isWritable) {
    return engine === 'sqlite'
      ? `not proven: the old name ${old} is a compatibility view, and SQLite views take no writes, ${unchecked}`
      : `not proven: the old name ${old} is a compatibility view that takes no ${
          verb?.toUpperCase() ?? 'write'
        } (it is not updatable), ${unchecked}`;
  }
  if (at.triggers.some(t => MOVED.test(t))) {
    return `not proven: the old name ${old} takes no writes now (it is the frozen source, read-only until cleanup), ${unchecked}`;
  }
  if (at.triggers.some(t => PAUSE.test(t))) {
    return `not proven: writes to the old name ${old} are paused for the migration's cutover now, ${unchecked}; check again once it is cut over`;
  }
  const refusal = notTransactional(engine, at, oldName);
  if (refusal) return refusal;
  if (engine === 'mysql') {
    const now = await standing(sides.newSide, engine, sides.newName, verb);
    return notTransactional(engine, now, sides.newName);
  }
  return null;
}
