import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATASET_LOCATION_ANNOTATION,
  DatasetLocation,
  DatasetNewHome,
  formatDatasetLocation,
  getDatasetLocation,
  isDatasetEntity,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  AgentConnection,
  DatasetMigrationRule,
} from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import {
  describeConnection,
  describeConnectionOffline,
} from '../connections/describeConnection';
import { isApiError } from '../errors/apiErrors';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { PerUserLimiter } from '../limits/PerUserLimiter';
import type { AgentRegistry } from './AgentRegistry';
import { dialectFor } from '../dialects';
import type { AgentChooser } from '../fleet/rollouts/AgentChooser';
import { hashPlan } from './hashPlan';
import { findConstraintNameClashes } from './lint/findConstraintNameClashes';
import { findExistingTarget } from './lint/findExistingTarget';
import { findNullViolations } from './lint/findNullViolations';
import { runPreflight } from './preflight/runPreflight';

export type PlanServiceOptions = {
  catalog: CatalogService;
  connections: ConnectionRegistry;
  agents: AgentRegistry;
  rules: DatasetMigrationRule[];
  logger: LoggerService;
  /** Plan requests (previews and starts) one user may run at once (default 2). */
  plansPerUser?: number;
  /** Picks the agent version per dataset (stable, or a rollout's candidate). */
  chooser?: AgentChooser;
  /**
   * Where completed migrations of the dataset moved its table from `location`, so that a
   * plan of a table that is gone says where it went.
   */
  newHomeOf?: (
    entityRef: string,
    location: string,
  ) => Promise<DatasetNewHome | undefined>;
};

/**
 * How long a campaign's plans reuse one description of the connections: a campaign
 * plans hundreds of datasets a minute, and each description asks every connection for
 * its default schema. Short, so that a connection that comes back (or goes away) shows
 * in the next plans; people's own plans always describe afresh.
 */
export const CAMPAIGN_DESCRIPTION_TTL_MS = 5_000;

type Descriptions = {
  described: AgentConnection[];
  unreachable: Map<string, string>;
};

/** The dataset's owner as a full entity ref, or undefined when it names none. */
export function datasetOwnerRef(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Plans one dataset: reads its entity (as the caller, so the catalog's permissions
 * decide what they may see), introspects its table, asks the agent for a plan, checks
 * the plan against the data, hashes it and proves it in preflight.
 */
export class PlanService {
  private readonly limiter: PerUserLimiter;
  /** The connections as a campaign's plans last saw them, and until when that holds. */
  private campaignDescriptions?: {
    until: number;
    descriptions: Promise<Descriptions>;
  };

  constructor(private readonly options: PlanServiceOptions) {
    this.limiter = new PerUserLimiter(
      options.plansPerUser ?? 2,
      limit =>
        `you already have ${limit} plan(s) running (each queries the databases); wait for them to finish, then try again (limit: datasetMigrations.limits.plansPerUser)`,
    );
  }

  /**
   * Plans a dataset for a caller, at most `plansPerUser` at once per caller. Every
   * statement runs on the planning pools, bounded by the statement timeout.
   */
  async createPlan(
    entityRef: string,
    credentials: BackstageCredentials,
    options: { agentId?: string } = {},
  ): Promise<Plan> {
    return this.limiter.run(credentials, () =>
      this.plan(entityRef, credentials, options.agentId, () =>
        this.describeConnections(),
      ),
    );
  }

  /**
   * Plans a dataset of a campaign. The campaign bounds how many plans run at once on
   * each instance, so the per-user limit (meant for people's previews) does not apply.
   */
  planForCampaign(
    entityRef: string,
    credentials: BackstageCredentials,
    agentId: string,
  ): Promise<Plan> {
    return this.plan(entityRef, credentials, agentId, () =>
      this.describeConnectionsForCampaign(),
    );
  }

  /** The connections' description, shared by the campaign plans of the next few seconds. */
  private describeConnectionsForCampaign(): Promise<Descriptions> {
    const now = Date.now();
    const cached = this.campaignDescriptions;
    if (cached && cached.until > now) return cached.descriptions;
    const descriptions = this.describeConnections();
    this.campaignDescriptions = {
      until: now + CAMPAIGN_DESCRIPTION_TTL_MS,
      descriptions,
    };
    return descriptions;
  }

  /** The registered agent ids, and the one used when none is asked for. */
  agentIds(): { ids: string[]; defaultId: string } {
    const { agents } = this.options;
    return {
      ids: [...new Set(agents.list().map(a => a.id))],
      defaultId: agents.defaultId,
    };
  }

  /** Describes every connection for the agent; one that cannot be reached is described offline. */
  private async describeConnections(): Promise<Descriptions> {
    const { connections, logger } = this.options;
    const unreachable = new Map<string, string>();
    const described = await Promise.all(
      connections.list().map(async ({ name }) => {
        try {
          return await describeConnection(connections, name);
        } catch (e) {
          const reason = safeErrorMessage(e);
          logger.warn(`Connection ${name} cannot be reached: ${reason}`, {
            connection: name,
          });
          unreachable.set(name, reason);
          return describeConnectionOffline(connections, name);
        }
      }),
    );
    return { described, unreachable };
  }

  /**
   * Why the dataset's table is not where its location annotation says: moved by a
   * completed migration (409, naming the new home and the line to change), or simply
   * not there (404).
   */
  private async tableGone(
    ref: string,
    location: DatasetLocation,
  ): Promise<Error> {
    const annotated = formatDatasetLocation(location);
    const newHome = await this.options.newHomeOf?.(ref, annotated);
    if (newHome) {
      return new ConflictError(
        `Cannot migrate ${ref}: its table ${annotated} was moved by migration ${newHome.migrationId} to ${newHome.location}; set ${DATASET_LOCATION_ANNOTATION}: ${newHome.location} in its catalog-info.yaml (the catalog shows the new home once it has processed the entity again)`,
      );
    }
    return new NotFoundError(
      `Cannot migrate ${ref}: its table ${annotated} does not exist on connection ${location.connection}; correct ${DATASET_LOCATION_ANNOTATION} in its catalog-info.yaml`,
    );
  }

  private async plan(
    entityRef: string,
    credentials: BackstageCredentials,
    agentId: string | undefined,
    describe: () => Promise<Descriptions>,
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

    const ownerRef = datasetOwnerRef(entity);
    connections.assertAcceptsOwner(location.connection, ownerRef, ref);

    const sourceKnex = connections.forPlanning(location.connection);
    const sourceDialect = dialectFor(
      connections.config(location.connection).client,
    );
    let source;
    try {
      source = await sourceDialect.introspect(sourceKnex, location.connection, {
        schema: location.schema,
        table: location.table,
      });
    } catch (e) {
      if (e instanceof NotFoundError) throw await this.tableGone(ref, location);
      if (isApiError(e)) throw e;
      throw new ServiceUnavailableError(
        `Cannot read the table of ${ref} on connection "${
          location.connection
        }": ${safeErrorMessage(
          e,
        )}; check the database and datasetMigrations.connections.${
          location.connection
        }`,
      );
    }
    const { described, unreachable } = await describe();
    const { agent, choice } = this.options.chooser
      ? await this.options.chooser.choose(agentId ?? agents.defaultId, ref)
      : { agent: agents.current(agentId), choice: 'stable' };
    const agentPlan = await agent.createPlan({
      entityRef: ref,
      source,
      connections: described,
      rules,
    });
    const targetConnection = agentPlan.target.connection;
    connections.assertAcceptsOwner(targetConnection, ownerRef, ref);
    const targetUnreachable = unreachable.get(targetConnection);
    if (targetUnreachable !== undefined) {
      throw new ServiceUnavailableError(
        `${ref} moves to connection "${targetConnection}", which cannot be reached: ${targetUnreachable}; check the database and datasetMigrations.connections.${targetConnection}, then plan again`,
      );
    }
    const nullFindings = await findNullViolations(
      sourceKnex,
      sourceDialect,
      agentPlan,
    );
    const targetFindings = await findExistingTarget(
      connections.forPlanning(targetConnection),
      dialectFor(connections.config(targetConnection).client),
      agentPlan,
    );

    const clashFindings = await findConstraintNameClashes(
      connections.forPlanning(targetConnection),
      dialectFor(connections.config(targetConnection).client),
      agentPlan,
    );

    const unhashed = {
      ...agentPlan,
      findings: [
        ...agentPlan.findings,
        ...nullFindings,
        ...targetFindings,
        ...clashFindings,
      ],
      entityRef: ref,
      agent: { id: agent.id, version: agent.version },
    };
    const hash = hashPlan(unhashed);
    const preflight = await runPreflight({
      plan: { ...unhashed, hash },
      source: { knex: sourceKnex, dialect: sourceDialect },
      target: {
        knex: connections.forPlanning(targetConnection),
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
      agentChoice: choice,
      createdAt: new Date().toISOString(),
    };
  }
}
