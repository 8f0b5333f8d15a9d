import { mockServices } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import { migrateStore } from '../store/migrateStore';
import { streamMigrationEvents } from './eventStream';

jest.setTimeout(60_000);

describe('streamMigrationEvents', () => {
  const databases = createTestDatabases();

  it('with ?follow=false replays the events after Last-Event-ID and ends while the migration still runs', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateStore(mockServices.database({ knex }));
    const store = new KnexMigrationStore(knex);
    const migration = await store.createMigration({
      entityRef: 'resource:default/orders',
      connection: 'warehouse',
      ownerRef: null,
      plan: {
        hash: 'h',
        entityRef: 'resource:default/orders',
        agent: { id: 'sql', version: '1.0.0' },
        source: { connection: 'warehouse', schema: 'public', table: 'orders' },
        target: { connection: 'warehouse', schema: 'public', table: 'o2' },
      } as unknown as Plan,
      createdBy: 'user:default/test',
    });
    const first = await store.appendEvent(migration.id, {
      type: 'step.log',
      message: 'first',
    });
    await store.appendEvent(migration.id, {
      type: 'step.log',
      message: 'second',
    });

    const app = express();
    app.get('/events', (req, res) =>
      streamMigrationEvents(
        {
          eventsAfter: afterId => store.listEvents(migration.id, afterId),
          // Never final: a followed stream would wait for more.
          isFinished: async () => false,
        },
        req,
        res,
      ),
    );

    const response = await request(app)
      .get('/events?follow=false')
      .set('Last-Event-ID', String(first.id));
    expect(response.status).toBe(200);
    const messages = [...response.text.matchAll(/^data: (.*)$/gm)].map(
      m => JSON.parse(m[1]).message,
    );
    expect(messages).toEqual(['second']);
  });
});
