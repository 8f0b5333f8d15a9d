import { startTestBackend } from '@backstage/backend-test-utils';
import type { DatasetMigrationAgent } from '@internal/backstage-plugin-dataset-migrations-node';
import { datasetMigrationsAgentsExtensionPoint } from '@internal/backstage-plugin-dataset-migrations-node';
import sqlAgentCandidate from './sqlAgentCandidate';

describe('sqlAgentCandidate', () => {
  it('adds SQL agent 1.4.0, whose plans build the secondary indexes after the copy', async () => {
    const added: DatasetMigrationAgent[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          datasetMigrationsAgentsExtensionPoint,
          { addAgent: (agent: DatasetMigrationAgent) => added.push(agent) },
        ],
      ],
      features: [sqlAgentCandidate],
    });
    try {
      expect(added.map(a => `${a.id}@${a.version}`)).toEqual(['sql@1.4.0']);
      const plan = await added[0].createPlan({
        entityRef: 'resource:default/play-events',
        connections: [
          { name: 'warehouse', engine: 'sqlite', databaseKey: 'sqlite:/w' },
        ],
        rules: [],
        source: {
          connection: 'warehouse',
          engine: 'sqlite',
          table: 'playEvents',
          columns: [
            {
              name: 'id',
              type: 'integer',
              isNullable: false,
              defaultValue: null,
            },
            {
              name: 'track',
              type: 'text',
              isNullable: false,
              defaultValue: null,
            },
          ],
          primaryKey: ['id'],
          indexes: [
            { name: 'playEvents_track', columns: ['track'], isUnique: false },
          ],
          rowEstimate: 10,
        },
      });
      expect(plan.artifacts.targetDdl).toHaveLength(1);
      expect(plan.artifacts.postCopyDdl).toEqual([
        expect.stringMatching(/^CREATE INDEX .* ON .*\("track"\)$/),
      ]);
    } finally {
      await backend.stop();
    }
  });
});
