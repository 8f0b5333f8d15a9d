/** Selectors of a rule: glob patterns (`*`, `?`), matched case-insensitively. @public */
export type DatasetMigrationRuleMatch = {
  connection?: string;
  schema?: string;
  table?: string;
  column?: string;
  /** Source column type, e.g. `varchar*`. */
  type?: string;
};

/** An admin-configured transformation rule (`datasetMigrations.rules[]`). @public */
export type DatasetMigrationRule = {
  name: string;
  match: DatasetMigrationRuleMatch;
  renameColumns?: 'snake_case' | 'keep';
  renameTo?: string;
  cast?: string;
  default?: string | number | boolean;
  drop?: boolean;
  allowDestructive: boolean;
  computed: Array<{ name: string; type: string; expression: string }>;
  target?: { connection?: string; schema?: string; table?: string };
};
