import type { Entity } from '@backstage/catalog-model';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationStore } from '../store/MigrationStore';
import { createTestMigration } from './testStore';

export const DATASET_REF = 'resource:default/accounts';

/**
 * The move the consumer tests check consumers against: `accounts (id, fullname)` to
 * `accounts_v2 (id, full_name)` on one connection, lower-case names that every engine
 * reads unquoted. Only the parts of a plan the consumer flow reads are real.
 */
export function accountsPlan(
  connection: string,
  engine: Plan['source']['engine'],
): Plan {
  const column = (source: string, target: string) => ({
    source,
    sourceExpression: source,
    target,
    sourceType: 'integer',
    targetType: 'integer',
    isNullable: false,
    defaultValue: null,
    reverseExpression: target,
    rule: 'default',
  });
  return {
    hash: 'c'.repeat(64),
    entityRef: DATASET_REF,
    agent: { id: 'sql', version: '1.3.0' },
    source: {
      connection,
      engine,
      table: 'accounts',
      columns: [],
      primaryKey: ['id'],
      indexes: [],
      rowEstimate: 5,
    },
    target: {
      connection,
      engine,
      table: 'accounts_v2',
      isSameDatabase: true,
    },
    columns: [column('id', 'id'), column('fullname', 'full_name')],
    copyStrategy: 'push-down',
    compatibility: 'view',
    copyKey: ['id'],
    artifacts: {
      targetDdl: [],
      copy: '',
      compatibilityView: [],
      validation: { source: '', target: '' },
      rollback: [],
      cutover: [],
      cutoverRollback: [],
      cleanup: [],
    },
    findings: [],
    createdAt: new Date().toISOString(),
  };
}

const NAMES = ['Ann', 'Bob', 'Cy', 'Dee', 'Eva'];

/**
 * The old and the new table with the same five accounts, except that the new one
 * spells the fifth name `Eve`: a rewrite that reads it cannot match.
 */
export async function seedAccounts(knex: Knex): Promise<void> {
  for (const [table, name] of [
    ['accounts', 'fullname'],
    ['accounts_v2', 'full_name'],
  ] as const) {
    await knex.schema.dropTableIfExists(table);
    await knex.schema.createTable(table, t => {
      t.integer('id').primary();
      t.string(name, 40).notNullable();
    });
    await knex(table).insert(
      NAMES.map((n, i) => ({
        id: i + 1,
        [name]: table === 'accounts_v2' && n === 'Eva' ? 'Eve' : n,
      })),
    );
  }
  await knex.schema.dropTableIfExists('invoices');
  await knex.schema.createTable('invoices', t => {
    t.integer('id').primary();
    t.integer('account_id').notNullable();
  });
  await knex('invoices').insert([
    { id: 1, account_id: 1 },
    { id: 2, account_id: 2 },
  ]);
}

/** A migration of the plan that has verified its copy and cut over. */
export async function cutOverMigration(store: MigrationStore, plan: Plan) {
  const record = await createTestMigration(store, plan);
  await store.setStatus(record.id, 'running', {
    expected: ['queued'],
  });
  await store.updateStep(record.id, 'verify', { status: 'succeeded' });
  await store.setStatus(record.id, 'awaiting_cleanup', {
    expected: ['running'],
  });
  return (await store.getMigration(record.id))!;
}

/** A consumer component registered from `<dir>/<name>/catalog-info.yaml`. */
export function consumerEntity(
  dir: string,
  name: string,
  sql?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          dir,
          name,
          'catalog-info.yaml',
        )}`,
        ...(sql ? { 'dataset-migrations.io/sql': sql } : {}),
      },
    },
    spec: { type: 'service', owner: 'group:default/analytics' },
    relations: [{ type: 'dependsOn', targetRef: DATASET_REF }],
  };
}

/** The dataset, with the `dependencyOf` relations the catalog derives from its consumers. */
export function accountsDataset(consumers: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'accounts',
      namespace: 'default',
      annotations: { 'dataset-migrations.io/location': 'warehouse:accounts' },
    },
    spec: { type: 'dataset', owner: 'group:default/data-platform' },
    relations: consumers.map(name => ({
      type: 'dependencyOf',
      targetRef: `component:default/${name}`,
    })),
  };
}

/** Writes a consumer's files under `<dir>/<name>/`. */
export function writeConsumerFiles(
  dir: string,
  name: string,
  files: Record<string, string>,
): void {
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(dir, name, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  fs.writeFileSync(path.join(dir, name, 'catalog-info.yaml'), '');
}

/** The consumers' SQL the tests read (line numbers matter to the assertions). */
export const BILLING_SQL = `-- invoices per account
SELECT a.id, a.fullname FROM accounts a WHERE a.id < 5 ORDER BY a.id;
SELECT i.id, a.fullname FROM invoices i JOIN accounts a ON a.id = i.account_id;
SELECT fullname FROM accounts WHERE id = 5;
INSERT INTO accounts (id, fullname) VALUES (9, 'Zed');
SELECT count(*) AS n FROM invoices;
SELECT @@ broken accounts;
`;
export const DASHBOARD_SQL = `SELECT count(*) AS n FROM accounts WHERE id <= 3;
`;
export const REPOINTED_SQL = `SELECT id, full_name FROM accounts_v2;
`;
