import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { datasetMigrationsPermissions } from '@internal/backstage-plugin-dataset-migrations-common';
import {
  DatasetMigrationAgent,
  DatasetMigrationConsumerAgent,
  datasetMigrationsAgentsExtensionPoint,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { ScmIntegrations } from '@backstage/integration';
import { createRouter } from './api/createRouter';
import { readAgentsConfig } from './config/readAgentsConfig';
import { readDatasetMigrationsConfig } from './config/readDatasetMigrationsConfig';
import { ConnectionRegistry } from './connections/ConnectionRegistry';
import { ConsumerService } from './consumers/ConsumerService';
import { readChecksWrites } from './consumers/checksWrites';
import { SqlConsumerAgent, verifyParity } from './consumers/rewrite';
import { GithubPullRequests } from './consumers/GithubPullRequests';
import { MigrationRunner } from './execute/MigrationRunner';
import { MigrationHistory } from './execute/MigrationHistory';
import { MigrationService } from './execute/MigrationService';
import { FleetService } from './fleet/FleetService';
import { CampaignLoop } from './fleet/campaigns/CampaignLoop';
import { CampaignService } from './fleet/campaigns/CampaignService';
import { AgentChooser } from './fleet/rollouts/AgentChooser';
import { rolloutLoop } from './fleet/rollouts/RolloutLoop';
import { RolloutService } from './fleet/rollouts/RolloutService';
import { DatasetAccess } from './permissions/DatasetAccess';
import { WorkerPool } from './fleet/WorkerPool';
import { fleetTimings } from './fleet/fleetTimings';
import { AgentRegistry } from './plan/AgentRegistry';
import { findNewHome } from './newHome/followMoves';
import { PlanService } from './plan/PlanService';
import { SqlAgent } from './plan/SqlAgent';
import { KnexCampaignStore } from './store/KnexCampaignStore';
import { KnexConsumerReportStore } from './store/KnexConsumerReportStore';
import { KnexMigrationStore } from './store/KnexMigrationStore';
import { KnexRolloutStore } from './store/KnexRolloutStore';
import { migrateStore } from './store/migrateStore';
import { SignallingMigrationStore } from './store/SignallingMigrationStore';

/**
 * The Dataset Migrations backend plugin: wiring only; the work happens in services.
 *
 * @public
 */
export const datasetMigrationsPlugin = createBackendPlugin({
  pluginId: 'dataset-migrations',
  register(env) {
    const addedAgents: DatasetMigrationAgent[] = [];
    const consumerAgents: DatasetMigrationConsumerAgent[] = [];
    env.registerExtensionPoint(datasetMigrationsAgentsExtensionPoint, {
      addAgent(agent) {
        addedAgents.push(agent);
      },
      addConsumerAgent(agent) {
        consumerAgents.push(agent);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
      },
      async init(deps) {
        const { config, database, httpAuth, httpRouter, lifecycle, logger } =
          deps;
        // Fails start-up with the offending key named, before anything runs.
        const settings = readDatasetMigrationsConfig(config);
        // Every event written is signalled, so open pages need not poll.
        const knex = await migrateStore(database);
        const store = new SignallingMigrationStore(
          new KnexMigrationStore(knex, { caps: settings.caps }),
          deps.signals,
          logger,
        );
        deps.permissionsRegistry.addPermissions(datasetMigrationsPermissions);

        const connections = new ConnectionRegistry(settings.connections, {
          postgresFdw: settings.compatibility.postgresFdw,
          planningStatementTimeoutMs: settings.limits.statementTimeoutMs,
        });
        const agents = new AgentRegistry('sql');
        for (const agent of [new SqlAgent(), ...addedAgents]) agents.add(agent);
        const rolloutStore = new KnexRolloutStore(knex);
        const configuredStable = readAgentsConfig(config);
        for (const [id, version] of configuredStable) {
          if (!agents.get(id, version)) {
            throw new Error(
              `Invalid configuration: datasetMigrations.agents.${id}.stableVersion ${version} is not registered; registered: ${
                agents.versions(id).join(', ') || 'none'
              }`,
            );
          }
        }
        const chooser = new AgentChooser(
          agents,
          rolloutStore,
          configuredStable,
        );
        const plans = new PlanService({
          chooser,
          catalog: deps.catalog,
          connections,
          agents,
          rules: settings.rules,
          logger,
          plansPerUser: settings.limits.plansPerUser,
          newHomeOf: (entityRef, location) =>
            findNewHome(store, entityRef, location),
        });

        const access = new DatasetAccess(deps.permissions);
        const consumers = new ConsumerService({
          store,
          reports: new KnexConsumerReportStore(knex),
          catalog: deps.catalog,
          auth: deps.auth,
          urlReader: deps.urlReader,
          integrations: ScmIntegrations.fromConfig(config),
          connections,
          access,
          logger: logger.child({ task: 'consumers' }),
          agents: [new SqlConsumerAgent(), ...consumerAgents],
          verifyParity: input => verifyParity(input),
          checksWrites: readChecksWrites(config),
          pullRequests: GithubPullRequests.fromConfig(config),
          appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
        });
        const runner = new MigrationRunner({
          store,
          connections,
          settings: settings.executor,
          logger,
          onCutOver: migration => consumers.checkInBackground(migration),
        });
        const workers = new WorkerPool({
          store,
          runner,
          settings: settings.executor,
          logger,
          agentVersions: agents.list().map(a => `${a.id}@${a.version}`),
        });
        const migrations = new MigrationService({
          store,
          plans,
          catalog: deps.catalog,
          access,
          connections,
          onQueued: () => workers.notify(),
          consumerGate: record => consumers.consumersOnOldName(record),
        });
        const campaignStore = new KnexCampaignStore(knex);
        const campaignLoop = new CampaignLoop({
          campaigns: campaignStore,
          store,
          plans,
          auth: deps.auth,
          auditor: deps.auditor,
          logger,
          notifications: deps.notifications,
          onQueued: () => workers.notify(),
        });
        const campaigns = new CampaignService({
          campaigns: campaignStore,
          store,
          plans,
          migrations,
          catalog: deps.catalog,
          access,
          auth: deps.auth,
          onChanged: () => campaignLoop.notify(),
        });
        const rollouts = new RolloutService({
          rollouts: rolloutStore,
          store,
          campaigns: campaignStore,
          agents,
          chooser,
          access,
          auditor: deps.auditor,
          logger,
          notifications: deps.notifications,
          onChanged: () => {
            campaignLoop.notify();
            workers.notify();
          },
        });
        const rolloutJudge = rolloutLoop(rollouts, logger);
        const history = new MigrationHistory({ store, access });
        const fleet = new FleetService({
          store,
          access,
          workerAliveMs: settings.executor.leaseMs * 2,
          lostAfterMs: fleetTimings(settings.executor).lostAfterMs,
        });

        lifecycle.addStartupHook(() => {
          workers.start();
          campaignLoop.start();
          rolloutJudge.start();
        });
        lifecycle.addShutdownHook(async () => {
          await rolloutJudge.stop();
          await campaignLoop.stop();
          await workers.stop();
          await connections.destroy();
        });
        logger.info(
          `Dataset migrations ready: ${
            settings.connections.size
          } connection(s), ${settings.rules.length} rule(s), ${
            settings.executor.workerSlots
          } worker slot(s), agents ${agents
            .list()
            .map(a => `${a.id}@${a.version}`)
            .join(', ')}`,
        );

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            auditor: deps.auditor,
            connections,
            migrations,
            history,
            access,
            fleet,
            campaigns,
            rollouts,
            consumers,
            eventStreamsPerUser: settings.limits.eventStreamsPerUser,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
