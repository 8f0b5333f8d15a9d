import type {
  AgentPlan,
  AgentPlanInput,
  DatasetMigrationAgent,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { chooseStrategy } from './phases/chooseStrategy';
import { gatherFindings } from './phases/gatherFindings';
import { mapColumns } from './phases/mapColumns';
import { planArtifacts } from './phases/planArtifacts';
import { planIncomingForeignKeys, planKeys } from './phases/planKeys';
import { placeTarget } from './phases/placeTarget';
import { resolveRules } from './rules/resolveRules';

/** How one version of the SQL agent generates its plans. @public */
export type SqlAgentOptions = {
  /** The semver recorded on its plans; default `1.3.0`, the stable version. */
  version?: string;
  /**
   * Build the secondary indexes after the copy (`postCopyDdl`) instead of with the
   * table: faster on large tables, since rows go into a table with only its key and
   * each index is built once. Default false (1.3.0).
   */
  indexesAfterCopy?: boolean;
};

/** The SQL agent's candidate version: its plans build the secondary indexes after the copy. @public */
export const SQL_AGENT_CANDIDATE: Required<SqlAgentOptions> = {
  version: '1.4.0',
  indexesAfterCopy: true,
};

/**
 * The built-in agent: plans a move of one table with SQL generated for the target
 * engine, from the introspected source and the admin rules. `new SqlAgent()` is the
 * stable version the plugin registers; other versions differ by their options.
 *
 * @public
 */
export class SqlAgent implements DatasetMigrationAgent {
  readonly id = 'sql';
  readonly version: string;
  private readonly indexesAfterCopy: boolean;

  constructor(options: SqlAgentOptions = {}) {
    this.version = options.version ?? '1.3.0';
    this.indexesAfterCopy = options.indexesAfterCopy ?? false;
  }

  async createPlan(input: AgentPlanInput): Promise<AgentPlan> {
    const { source } = input;
    const decision = resolveRules(source, input.rules);
    const placement = placeTarget(source, decision.target, input.connections);
    const mapped = mapColumns(source, decision, placement);
    const keys = planKeys(source, placement, mapped);
    const strategy = chooseStrategy(source, placement, keys.copyKey);
    // Re-pointing other tables' foreign keys needs a view at the old name.
    const incoming = planIncomingForeignKeys(
      source,
      placement,
      mapped,
      keys,
      strategy.compatibility,
    );

    return {
      source,
      target: {
        connection: placement.targetConnection.name,
        engine: placement.targetDialect.engine,
        schema: placement.target.schema,
        table: placement.target.table,
        isSameDatabase: placement.isSameDatabase,
      },
      columns: keys.columns,
      copyStrategy: strategy.copyStrategy,
      compatibility: strategy.compatibility,
      copyKey: keys.copyKey,
      artifacts: planArtifacts({
        source,
        placement,
        mapped,
        keys,
        strategy,
        incomingForeignKeys: incoming.keys,
        indexesAfterCopy: this.indexesAfterCopy,
      }),
      findings: gatherFindings({
        columns: mapped.findings,
        keys: keys.findings,
        strategy,
        incomingForeignKeys: incoming.findings,
      }),
    };
  }
}
