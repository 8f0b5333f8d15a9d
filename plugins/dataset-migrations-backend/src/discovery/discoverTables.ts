import {
  formatDatasetLocation,
  parseDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { DiscoveryConfig } from '../config/DatasetMigrationsConfig';
import type { Dialect, ListedTable } from '../dialects/Dialect';
import { isPluginTableName } from '../dialects/names';
import { matchesGlob } from '../plan/rules/glob';
import { matchesTable, qualifiedName } from './tablePattern';

/** What one look at a connection found: the datasets, and tables it had to pass over. */
export type DiscoveredTables = {
  tables: ListedTable[];
  /** Tables a location annotation cannot name, each with the reason. */
  unnamable: string[];
};

/** Which schemas to list: the configured globs over the ones there are, or the current one. */
async function schemasToList(
  knex: Knex,
  dialect: Dialect,
  settings: DiscoveryConfig,
): Promise<string[]> {
  if (!settings.schemas) {
    const current = await dialect.currentSchema(knex);
    return current === undefined ? [] : [current];
  }
  const patterns = settings.schemas;
  return (await dialect.listSchemas(knex)).filter(schema =>
    patterns.some(p => matchesGlob(p, schema)),
  );
}

/**
 * Whether `formatDatasetLocation` of the table reads back as the same table: a schema
 * holding a dot, an over-long name or quote characters cannot be named by the annotation.
 */
function unnamableReason(
  connection: string,
  table: ListedTable,
): string | undefined {
  const location = { connection, schema: table.schema, table: table.table };
  try {
    const parsed = parseDatasetLocation(formatDatasetLocation(location));
    if (parsed.schema !== table.schema || parsed.table !== table.table) {
      return 'its schema name holds a dot';
    }
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The tables of one connection that are datasets under `settings`: those of the
 * configured schemas matching `tables` (all when unset) and no `exclude`, leaving out
 * the plugin's own tables (change logs, guards, backups) so a running migration never
 * shows up as a dataset of its own.
 */
export async function discoverTables(
  knex: Knex,
  dialect: Dialect,
  settings: DiscoveryConfig,
): Promise<DiscoveredTables> {
  const schemas = await schemasToList(knex, dialect, settings);
  const listed =
    dialect.engine === 'sqlite' || schemas.length > 0
      ? await dialect.listTables(knex, schemas)
      : [];
  const tables: ListedTable[] = [];
  const unnamable: string[] = [];
  for (const table of listed) {
    if (isPluginTableName(table.table)) continue;
    if (settings.tables && !settings.tables.some(p => matchesTable(p, table)))
      continue;
    if (settings.exclude.some(p => matchesTable(p, table))) continue;
    const reason = unnamableReason(settings.connection, table);
    if (reason) unnamable.push(`${qualifiedName(table)}: ${reason}`);
    else tables.push(table);
  }
  return { tables, unnamable };
}
