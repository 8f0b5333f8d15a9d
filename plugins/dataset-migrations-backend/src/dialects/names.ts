import crypto from 'node:crypto';
import type { TableName } from './Dialect';

const shortHash = (text: string) =>
  crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);

/** Keeps generated names within every engine's limit (PostgreSQL: 63 bytes). */
export function boundedName(base: string, suffix: string): string {
  const full = `${base}${suffix}`;
  if (Buffer.byteLength(full) <= 60) return full;
  let head = base;
  while (Buffer.byteLength(`${head}_${shortHash(base)}${suffix}`) > 60) {
    head = head.slice(0, -1);
  }
  return `${head}_${shortHash(base)}${suffix}`;
}

const BACKUP_SUFFIX = '__dm_backup';

/** Where cutover keeps the source table until cleanup. */
export const backupTableName = (table: string) =>
  boundedName(table, BACKUP_SUFFIX);

/**
 * Whether a table is one the plugin made for its own work rather than a dataset: every
 * helper table it creates (change logs, guards, scratch copies, its store) is named
 * `dm_…`, and a cutover's backup keeps its `__dm_backup` suffix through `boundedName`.
 */
export const isPluginTableName = (table: string) =>
  table.startsWith('dm_') || table.endsWith(BACKUP_SUFFIX);

/** Scratch names preflight uses, unique per plan so concurrent preflights never collide. */
export const scratchTableName = (table: string, hash: string) =>
  boundedName(`dm_pf_${hash.slice(0, 8)}_${table}`, '');
export const scratchViewName = (table: string, hash: string) =>
  boundedName(`dm_pfv_${hash.slice(0, 8)}_${table}`, '');

/** Index names derived from the target table and columns. */
export const indexName = (
  table: string,
  columns: string[],
  isUnique: boolean,
) => boundedName(`${table}_${columns.join('_')}`, isUnique ? '_key' : '_idx');

/** The source-side log of keys written during the move, which catch-up replays. */
export const changeLogTableName = (table: string) =>
  boundedName(`dm_log_${table}`, '');

/** The source-side trigger (PostgreSQL: and its function) that fills the change log. */
export const captureTriggerName = (table: string, operation?: string) =>
  boundedName(`dm_cap_${table}`, operation ? `_${operation}` : '');

/**
 * MySQL's and SQLite's capture triggers, one per row operation, named in the source
 * table's schema (PostgreSQL's one function serves all three).
 */
export const captureTriggers = (name: TableName) =>
  (['insert', 'update', 'delete'] as const).map(op => ({
    op,
    name: { schema: name.schema, table: captureTriggerName(name.table, op) },
  }));

/**
 * Which freeze: the pause that holds writers off while the source is caught up,
 * verified and cut over (`pause`), or, for a frozen source, the one that tells them
 * where the data went, once cutover has committed (`moved`). Two sets of triggers, so
 * cutover can put the second in place before it lifts the first.
 */
export type FreezeKind = 'pause' | 'moved';

/** The name (prefix) of a freeze's trigger(s) on `table`. */
export const freezeTriggerName = (table: string, kind: FreezeKind = 'pause') =>
  `${kind === 'pause' ? 'dm_ro_' : 'dm_mv_'}${table}`;

/** MySQL's and SQLite's freeze triggers (writers get an error), one per row operation. */
export const freezeTriggers = (table: string, kind: FreezeKind = 'pause') =>
  ['insert', 'update', 'delete'].map(op => ({
    op,
    name: boundedName(freezeTriggerName(table, kind), `_${op}`),
  }));

/**
 * MySQL's TRUNCATE guard of a frozen table: a table whose foreign key references it,
 * and that foreign key's (database-wide) name.
 */
export const truncateGuardName = (table: string) =>
  boundedName(`dm_guard_${table}`, '');
export const truncateGuardKeyName = (table: string) =>
  boundedName(`dm_guard_${table}`, '_fk');

/**
 * The target-side log of writes the new table took from cutover on (through the
 * compatibility view or directly): rollback refuses while it holds any.
 */
export const compatibilityLogTableName = (table: string) =>
  boundedName(`dm_cw_${table}`, '');
