import type { Entity } from '@backstage/catalog-model';
import {
  MIGRATION_STEPS,
  type DatasetMigrationsApi,
  type Migration,
  type MigrationEvent,
  type Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';

export const dataset: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'customer-accounts',
    namespace: 'default',
    annotations: {
      'dataset-migrations.io/location': 'warehouse:customerAccounts',
    },
  },
  spec: { type: 'dataset', owner: 'group:default/data-platform' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/data-platform' },
    { type: 'dependsOn', targetRef: 'resource:default/regions' },
    { type: 'dependencyOf', targetRef: 'component:default/billing-service' },
  ],
};

// usePermission caches decisions per permission and resource for the whole test file:
// tests that need their own decision use a dataset of their own name.
let datasetCounter = 0;

/** The demo dataset under a name no other test in the file uses. */
export function uniqueDataset(): Entity {
  datasetCounter += 1;
  return {
    ...dataset,
    metadata: { ...dataset.metadata, name: `dataset-${datasetCounter}` },
  };
}

export const dataPlatform: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'data-platform', namespace: 'default' },
  spec: {
    type: 'team',
    profile: {
      displayName: 'Data Platform',
      email: 'data-platform@example.com',
    },
    children: [],
  },
};

const user = (name: string, displayName: string, group: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {
    profile: { displayName, email: `${name}@example.com` },
    memberOf: [group],
  },
  relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
});

/** A member of the owner group, one of another group. */
export const ada = user('ada', 'Ada Lovelace', 'data-platform');
export const grace = user('grace', 'Grace Hopper', 'billing');

export function event(id: number, message: string): MigrationEvent {
  return {
    id,
    migrationId: '11111111-1111-4111-8111-111111111111',
    createdAt: new Date(Date.UTC(2026, 10, 23, 10, 0, id)).toISOString(),
    type: 'step.log',
    step: 'copy',
    actor: null,
    message,
    data: null,
  };
}

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    hash: 'a'.repeat(64),
    entityRef: 'resource:default/customer-accounts',
    agent: { id: 'sql', version: '1.0.0' },
    source: {
      connection: 'warehouse',
      engine: 'sqlite',
      table: 'customerAccounts',
      columns: [],
      primaryKey: ['id'],
      indexes: [],
      rowEstimate: 5,
    },
    target: {
      connection: 'warehouse',
      engine: 'sqlite',
      table: 'customer_accounts',
      isSameDatabase: true,
    },
    columns: [
      {
        source: 'fullName',
        sourceExpression: '"fullName"',
        target: 'full_name',
        sourceType: 'text',
        targetType: 'TEXT',
        isNullable: false,
        defaultValue: null,
        reverseExpression: '"full_name"',
        rule: 'snake',
      },
    ],
    copyStrategy: 'push-down',
    compatibility: 'view',
    copyKey: ['id'],
    artifacts: {
      targetDdl: [
        'CREATE TABLE "customer_accounts" ("full_name" TEXT NOT NULL)',
      ],
      copy: 'INSERT INTO "customer_accounts" SELECT "fullName" FROM "customerAccounts"',
      compatibilityView: [
        'CREATE VIEW "customerAccounts" AS SELECT "full_name" AS "fullName" FROM "customer_accounts"',
      ],
      validation: {
        source: 'SELECT COUNT(*) FROM "customerAccounts"',
        target: 'SELECT COUNT(*) FROM "customer_accounts"',
      },
      rollback: ['DROP TABLE IF EXISTS "customer_accounts"'],
      cutover: [],
      cutoverRollback: [],
      cleanup: [],
    },
    findings: [],
    preflight: { status: 'passed', sampleRows: 5, durationMs: 12 },
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

export function migration(overrides: Partial<Migration> = {}): Migration {
  const steps = MIGRATION_STEPS.map(name => ({
    name,
    status: 'pending' as const,
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    progress: { done: 0, total: null, unit: null },
    error: null,
  }));
  return {
    id: '11111111-1111-4111-8111-111111111111',
    entityRef: 'resource:default/customer-accounts',
    status: 'running',
    connection: 'warehouse',
    ownerRef: 'group:default/data-platform',
    campaignId: null,
    agent: { id: 'sql', version: '1.0.0' },
    planHash: 'a'.repeat(64),
    source: 'warehouse:customerAccounts',
    target: 'warehouse:customer_accounts',
    createdBy: 'user:default/guest',
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:01.000Z',
    error: null,
    steps,
    ...overrides,
  };
}

/** An API whose every method fails unless the test provides it. */
export function apiWith(
  partial: Partial<DatasetMigrationsApi>,
): DatasetMigrationsApi {
  const missing = (name: string) => () =>
    Promise.reject(new Error(`${name} not expected in this test`));
  return {
    listConnections: missing('listConnections'),
    createPlan: missing('createPlan'),
    startMigration: missing('startMigration'),
    listMigrations: async () => ({ items: [], nextCursor: null }),
    getMigration: missing('getMigration'),
    getMigrationStats: missing('getMigrationStats'),
    actOnMigration: missing('actOnMigration'),
    streamEvents: missing('streamEvents'),
    listWorkers: missing('listWorkers'),
    getFleet: missing('getFleet'),
    listConsumers: async () => ({ items: [] }),
    checkConsumers: missing('checkConsumers'),
    openConsumerPullRequest: missing('openConsumerPullRequest'),
    getConsumerPatch: missing('getConsumerPatch'),
    getDatasetNewHome: async () => ({ newHome: null }),
    getDatasetTable: async (_entityRef: string, location: string) => ({
      table: { location, existence: 'exists' as const },
    }),
    ...partial,
  } as DatasetMigrationsApi;
}
