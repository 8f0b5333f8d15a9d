import type { SqlNames } from './sqlNames';

/** One item of a FROM clause, as the query's column references see it. */
export type RangeVariable = {
  /** The catalog name qualifiers use for it: its alias, or its table name. */
  name: string;
  /** Whether it is the migrated table. */
  isMigrated: boolean;
  /** For the migrated table named without an alias: the new name its qualifiers take. */
  qualifierRewrite?: string;
  /** How to qualify its columns when `*` is expanded (null: it has no name). */
  label: string | null;
};

/**
 * The names one query level can see: its FROM items, the common table expressions in
 * force, and the enclosing query levels (for correlated subqueries).
 */
export class QueryScope {
  readonly variables: RangeVariable[] = [];
  /** Whether a NATURAL join or JOIN … USING merges columns here (`*` then differs). */
  mergesColumns = false;

  constructor(
    private readonly names: SqlNames,
    readonly parent: QueryScope | undefined,
    readonly commonTables: string[],
  ) {}

  child(commonTables: string[] = []): QueryScope {
    return new QueryScope(this.names, this, [
      ...this.commonTables,
      ...commonTables,
    ]);
  }

  isCommonTable(name: string): boolean {
    return this.commonTables.some(c => this.names.same('table', c, name));
  }

  /** The FROM item a qualifier names, looking outwards from this level. */
  find(qualifier: string): RangeVariable | undefined {
    const found = this.variables.find(v =>
      this.names.same('table', v.name, qualifier),
    );
    return found ?? this.parent?.find(qualifier);
  }

  hasMigrated(): boolean {
    return this.variables.some(v => v.isMigrated);
  }

  /** Whether an enclosing level reads the migrated table. */
  hasMigratedOutside(): boolean {
    for (let scope = this.parent; scope; scope = scope.parent)
      if (scope.hasMigrated()) return true;
    return false;
  }
}
