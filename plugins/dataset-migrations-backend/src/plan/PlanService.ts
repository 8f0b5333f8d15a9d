import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATASET_LOCATION_ANNOTATION,
  getDatasetLocation,
  isDatasetEntity,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { describeConnection } from '../connections/describeConnection';
import type { AgentRegistry } from './AgentRegistry';
import { dialectFor } from './dialects';
import { hashPlan } from './hashPlan';
import { findExistingTarget } from './lint/findExistingTarget';
import { findNullViolations } from './lint/findNullViolations';
import { runPreflight } from './preflight/runPreflight';

export type PlanServiceOptions = {
  catalog: CatalogService;
  connections: ConnectionRegistry;
  agents: AgentRegistry;
  rules: DatasetMigrationRule[];
  logger: LoggerService;
};

/**
 * Plans one dataset: reads its entity (as the caller, so the catalog's permissions
 * decide what they may see), introspects its table, asks the agent for a plan, checks
 * the plan against the data, hashes it and proves it in preflight.
 */
export class PlanService {
  constructor(private readonly options: PlanServiceOptions) {}

  async createPlan(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Plan> {
    const { catalog, connections, agents, rules } = this.options;
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (e) {
      throw new InputError(
        `entityRef "${entityRef}" is not an entity reference such as resource:default/orders`,
      );
    }
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${ref} in the catalog (or you may not see it)`,
      );
    }
    if (!isDatasetEntity(entity)) {
      throw new InputError(
        `${ref} is a ${entity.kind} of type ${String(
          entity.spec?.type,
        )}; only Resource entities of spec.type dataset can be migrated`,
      );
    }
    let location;
    try {
      location = getDatasetLocation(entity);
    } catch (e) {
      throw new InputError(
        `${ref} has an invalid ${DATASET_LOCATION_ANNOTATION} annotation: ${
          (e as Error).message
        }`,
      );
    }
    if (!location) {
      throw new InputError(
        `${ref} has no ${DATASET_LOCATION_ANNOTATION} annotation; add one naming its table as "<connection>:<schema>.<table>"`,
      );
    }
    if (!connections.has(location.connection)) {
      throw new InputError(
        `${ref} lives on connection "${location.connection}", which is not configured; add it under datasetMigrations.connections`,
      );
    }

    const sourceKnex = connections.get(location.connection);
    const sourceDialect = dialectFor(
      connections.config(location.connection).client,
    );
    const source = await sourceDialect.introspect(
      sourceKnex,
      location.connection,
      {
        schema: location.schema,
        table: location.table,
      },
    );
    const described = await Promise.all(
      connections.list().map(c => describeConnection(connections, c.name)),
    );
    const agent = agents.current();
    const agentPlan = await agent.createPlan({
      entityRef: ref,
      source,
      connections: described,
      rules,
    });
    const nullFindings = await findNullViolations(
      sourceKnex,
      sourceDialect,
      agentPlan,
    );
    const targetFindings = await findExistingTarget(
      connections.get(agentPlan.target.connection),
      dialectFor(connections.config(agentPlan.target.connection).client),
      agentPlan,
    );

    const unhashed = {
      ...agentPlan,
      findings: [...agentPlan.findings, ...nullFindings, ...targetFindings],
      entityRef: ref,
      agent: { id: agent.id, version: agent.version },
    };
    const hash = hashPlan(unhashed);
    const targetConnection = agentPlan.target.connection;
    const preflight = await runPreflight({
      plan: { ...unhashed, hash },
      source: { knex: sourceKnex, dialect: sourceDialect },
      target: {
        knex: connections.get(targetConnection),
        dialect: dialectFor(connections.config(targetConnection).client),
      },
      isSameConnection: targetConnection === location.connection,
    });
    this.options.logger.info(
      `Planned ${ref} with ${agent.id}@${agent.version}: ${hash.slice(
        0,
        12,
      )}, preflight ${preflight.status}`,
      { entityRef: ref, planHash: hash },
    );
    return {
      ...unhashed,
      hash,
      preflight,
      createdAt: new Date().toISOString(),
    };
  }
}
