import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SQL_AGENT_CANDIDATE,
  SqlAgent,
} from '@internal/backstage-plugin-dataset-migrations-backend';
import { datasetMigrationsAgentsExtensionPoint } from '@internal/backstage-plugin-dataset-migrations-node';

/**
 * Demo only: offers version 1.4.0 of the SQL agent (secondary indexes built after the
 * copy) beside the stable 1.3.0 the plugin registers itself, through the agents
 * extension point as any module would, so a rollout of it can be watched end to end.
 * Registering a version does not put it to work: a rollout decides which migrations
 * it plans.
 */
export default createBackendModule({
  pluginId: 'dataset-migrations',
  moduleId: 'sql-agent-candidate',
  register(reg) {
    reg.registerInit({
      deps: { agents: datasetMigrationsAgentsExtensionPoint },
      async init({ agents }) {
        agents.addAgent(new SqlAgent(SQL_AGENT_CANDIDATE));
      },
    });
  },
});
