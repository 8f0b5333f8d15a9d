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

/**
 * The built-in agent: plans a move of one table with SQL generated for the target
 * engine, from the introspected source and the admin rules.
 */
export class SqlAgent implements DatasetMigrationAgent {
  readonly id = 'sql';
  readonly version = '1.3.0';

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
