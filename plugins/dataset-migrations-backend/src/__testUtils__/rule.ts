import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';

/** A rule as the config reader would produce it, with its defaults filled in. */
export const rule = (
  r: Partial<DatasetMigrationRule> & { name: string },
): DatasetMigrationRule => ({
  match: {},
  allowDestructive: false,
  computed: [],
  ...r,
});
