import { mockServices } from '@backstage/backend-test-utils';
import type {
  SignalPayload,
  SignalsService,
} from '@backstage/plugin-signals-node';
import type {
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { KnexMigrationStore } from './KnexMigrationStore';
import { migrateStore } from './migrateStore';
import { SignallingMigrationStore } from './SignallingMigrationStore';

jest.setTimeout(60_000);

/** A SignalsService that keeps what was published, in order. */
class RecordingSignals implements SignalsService {
  readonly published: SignalPayload[] = [];
  async publish(signal: SignalPayload) {
    this.published.push(signal);
  }
  on(channel: string) {
    return this.published.filter(s => s.channel === channel);
  }
}

const SECRET = 'copied 12 rows of secret_table into secret_table_v2';

function planOf(entityRef: string): Plan {
  return {
    hash: `hash-${entityRef}`,
    entityRef,
    agent: { id: 'sql', version: '1.0.0' },
    source: { connection: 'warehouse', schema: 'public', table: 'orders' },
    target: { connection: 'warehouse', schema: 'public', table: 'orders_v2' },
  } as unknown as Plan & { source: TableSchema; target: PlanTarget };
}

describe('SignallingMigrationStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    async function setUp() {
      const knex = await databases.init(id);
      await migrateStore(mockServices.database({ knex }));
      const signals = new RecordingSignals();
      const store = new SignallingMigrationStore(
        new KnexMigrationStore(knex),
        signals,
        mockServices.logger.mock(),
      );
      const migration = await store.createMigration({
        entityRef: 'resource:default/orders',
        connection: 'warehouse',
        ownerRef: null,
        plan: planOf('resource:default/orders'),
        createdBy: 'user:default/test',
      });
      return { store, signals, migration };
    }

    it('signals an appended event by ids alone, never its text', async () => {
      const { store, signals, migration } = await setUp();
      const event = await store.appendEvent(migration.id, {
        type: 'step.log',
        step: 'copy',
        message: SECRET,
        data: { table: 'secret_table' },
      });

      expect(
        signals.on(`dataset-migrations:migration:${migration.id}`),
      ).toEqual([
        {
          recipients: { type: 'broadcast' },
          channel: `dataset-migrations:migration:${migration.id}`,
          message: { migrationId: migration.id, eventId: event.id },
        },
      ]);
      expect(JSON.stringify(signals.published)).not.toMatch(/secret|copied/);
    });

    it('signals a status change on the migration and the list channels, with the event it wrote', async () => {
      const { store, signals, migration } = await setUp();
      expect(signals.on('dataset-migrations:migrations')).toEqual([
        expect.objectContaining({
          recipients: { type: 'broadcast' },
          message: { migrationId: migration.id },
        }),
      ]);

      const changed = await store.setStatus(migration.id, 'running', {
        expected: ['queued'],
        event: { type: 'status', message: SECRET },
      });
      expect(changed).toBe(true);
      const [written] = await store
        .listEvents(migration.id, 0, 500)
        .then(e => e.filter(x => x.type === 'status'));
      expect(
        signals.on(`dataset-migrations:migration:${migration.id}`),
      ).toEqual([
        expect.objectContaining({
          message: { migrationId: migration.id, eventId: written.id },
        }),
      ]);
      expect(signals.on('dataset-migrations:migrations')).toHaveLength(2);
      expect(JSON.stringify(signals.published)).not.toMatch(
        /secret|copied|running/,
      );
    });

    it('signals nothing when a guarded status change did not happen', async () => {
      const { store, signals, migration } = await setUp();
      const start = () =>
        store.setStatus(migration.id, 'running', {
          expected: ['queued'],
          event: { type: 'status', message: 'started' },
        });
      expect(await start()).toBe(true);
      const before = signals.published.length;
      expect(await start()).toBe(false);
      expect(signals.published).toHaveLength(before);
    });

    it('still writes the event when publishing fails', async () => {
      const { store, migration } = await setUp();
      const failing = new SignallingMigrationStore(
        store,
        {
          publish: () => Promise.reject(new Error('events bus down')),
        },
        mockServices.logger.mock(),
      );
      const event = await failing.appendEvent(migration.id, {
        type: 'step.log',
        message: 'still here',
      });
      expect(await store.listEvents(migration.id, event.id - 1)).toEqual([
        event,
      ]);
    });
  });
});
