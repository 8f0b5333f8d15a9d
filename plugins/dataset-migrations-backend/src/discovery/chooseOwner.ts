import type { DiscoveryConfig } from '../config/DatasetMigrationsConfig';
import type { TableName } from '../dialects/Dialect';
import { matchesTable } from './tablePattern';

/** The owner of a discovered table: the first `owners` rule that matches, else the default. */
export function chooseOwner(
  settings: Pick<DiscoveryConfig, 'owners' | 'defaultOwner'>,
  name: TableName,
): string {
  return (
    settings.owners.find(rule => matchesTable(rule.match, name))?.owner ??
    settings.defaultOwner
  );
}
