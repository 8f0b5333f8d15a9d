import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows, firstRow } from '../dialects/rawRows';
import { fillAfterKey, nextBatchTemplate } from '../copy/reviewedStatements';
import { pipeCopy, rangeCopyOut } from '../copy/pgCopyPipe';
import { createRowWriter } from '../copy/rowWriter';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { dialectFor } from '../dialects';
import type { Dialect } from '../dialects/Dialect';
import type { LogicalType } from '../dialects/LogicalType';
import { compareValidation, readValidationRow } from './sql/validationQuery';
import { streamedReadRows } from './sql/generateArtifacts';

jest.setTimeout(120_000);

type SourceTable = {
  name: string;
  columns: Array<{
    name: string;
    type: LogicalType;
    isNullable: boolean;
    defaultValue?: string | number | boolean;
  }>;
  primaryKey: string[];
  rows: Array<Record<string, unknown>>;
};

const TABLES: SourceTable[] = [
  {
    name: 'salesOrders',
    columns: [
      { name: 'orderId', type: { kind: 'integer' }, isNullable: false },
      {
        name: 'totalAmount',
        type: { kind: 'decimal', precision: 12, scale: 2 },
        isNullable: false,
      },
      {
        name: 'statusCode',
        type: { kind: 'varchar', length: 16 },
        isNullable: false,
        defaultValue: 'open',
      },
      {
        name: 'isPaid',
        type: { kind: 'boolean' },
        isNullable: false,
        defaultValue: false,
      },
      { name: 'orderedAt', type: { kind: 'timestamp' }, isNullable: false },
      { name: 'shipDate', type: { kind: 'date' }, isNullable: true },
      { name: 'notes', type: { kind: 'text' }, isNullable: true },
      { name: 'weightKg', type: { kind: 'double' }, isNullable: true },
    ],
    primaryKey: ['orderId'],
    rows: Array.from({ length: 1300 }, (_, i) => ({
      orderId: i + 1,
      totalAmount: ((i * 37) % 100000) / 100,
      statusCode: ['open', 'paid', 'shipped'][i % 3],
      isPaid: i % 2,
      orderedAt: `2024-03-${String((i % 28) + 1).padStart(2, '0')} ${String(
        i % 24,
      ).padStart(2, '0')}:15:30`,
      shipDate:
        i % 5 ? `2024-04-${String((i % 28) + 1).padStart(2, '0')}` : null,
      notes: i % 4 ? `Lieferung für Kunde ${i} – 数量 ${i % 9}` : null,
      weightKg: i % 6 ? (i * 0.37) % 50 : null,
    })),
  },
  {
    // Composite key, a reserved word and unicode for names.
    name: 'order',
    columns: [
      { name: 'group', type: { kind: 'integer' }, isNullable: false },
      { name: 'lineNo', type: { kind: 'smallint' }, isNullable: false },
      { name: 'Menge€', type: { kind: 'integer' }, isNullable: true },
      {
        name: 'select',
        type: { kind: 'varchar', length: 40 },
        isNullable: true,
      },
    ],
    primaryKey: ['group', 'lineNo'],
    rows: Array.from({ length: 300 }, (_, i) => ({
      group: i % 100,
      lineNo: Math.floor(i / 100) + 1,
      'Menge€': i % 7 ? i : null,
      select: `s${i}`,
    })),
  },
  {
    // No primary key at all.
    name: 'auditLog',
    columns: [
      { name: 'loggedAt', type: { kind: 'timestamp' }, isNullable: false },
      {
        name: 'actorName',
        type: { kind: 'varchar', length: 64 },
        isNullable: false,
      },
      { name: 'payloadJson', type: { kind: 'text' }, isNullable: true },
    ],
    primaryKey: [],
    rows: Array.from({ length: 120 }, (_, i) => ({
      loggedAt: `2024-05-01 ${String(i % 24).padStart(2, '0')}:00:00`,
      actorName: ['ada', 'grace'][i % 2],
      payloadJson: i % 3 ? JSON.stringify({ i }) : null,
    })),
  },
];

const RULES: DatasetMigrationRule[] = [
  {
    name: 'money',
    match: { column: '*Amount' },
    cast: 'numeric(14,2)',
    allowDestructive: false,
    computed: [],
  },
  {
    name: 'snake',
    match: {},
    renameColumns: 'snake_case',
    allowDestructive: false,
    computed: [],
    target: { connection: 'target', table: 'new_{table:snake}' },
  },
];

async function createSource(knex: Knex, dialect: Dialect, table: SourceTable) {
  await knex.raw(
    dialect.createTable(
      { table: table.name },
      table.columns.map(c => ({
        name: c.name,
        type: dialect.renderType(c.type),
        isNullable: c.isNullable,
        defaultValue:
          c.defaultValue === undefined ? null : dialect.literal(c.defaultValue),
      })),
      table.primaryKey,
    ),
  );
  const writer = createRowWriter(
    {
      columns: table.columns.map(c => ({
        target: c.name,
        targetType: dialect.renderType(c.type),
      })) as Plan['columns'],
    },
    dialect,
    dialect.engine,
  );
  const rows = writer.convert(
    table.rows.map(r =>
      Object.fromEntries(table.columns.map((c, i) => [`c${i}`, r[c.name]])),
    ),
  );
  await writer.write(knex, { table: table.name }, rows);
}

/** Runs the plan's artifacts for real, the way the executor does, and checks each one. */
async function executePlan(
  plan: Plan,
  registry: ConnectionRegistry,
  sameConnection: boolean,
) {
  const sk = registry.get('source');
  const tk = registry.get(plan.target.connection);
  const sd = dialectFor(registry.config('source').client);
  const td = dialectFor(registry.config(plan.target.connection).client);
  const oldRows = allRows(
    await sk.raw(
      `SELECT * FROM ${sd.qualify({
        schema: plan.source.schema,
        table: plan.source.table,
      })} ORDER BY ${plan.source.columns
        .map(c => sd.quote(c.name))
        .join(', ')}`,
    ),
  );

  for (const sql of plan.artifacts.targetDdl) await tk.raw(sql);
  if (plan.copyStrategy === 'push-down') {
    await tk.raw(plan.artifacts.copy);
  } else if (plan.copyStrategy === 'copy-pipe') {
    const from = { knex: sk, dialect: sd, table: plan.source };
    await tk.transaction(trx =>
      pipeCopy(
        sk,
        trx,
        rangeCopyOut(from, plan, null, null),
        plan.artifacts.copyInto!,
      ),
    );
  } else {
    const writer = createRowWriter(plan, td, td.engine);
    let rows = allRows(await sk.raw(plan.artifacts.copy));
    while (rows.length > 0) {
      await writer.write(tk, plan.target, writer.convert(rows));
      if (!plan.artifacts.copyNext) break;
      const last = rows[rows.length - 1];
      rows = allRows(
        await sk.raw(
          fillAfterKey(
            nextBatchTemplate(
              { plan, source: { dialect: sd }, target: { dialect: td } },
              streamedReadRows({
                sourceDialect: sd,
                targetDialect: td,
                copyKey: plan.copyKey,
              }),
            ),
            sd,
            plan.copyKey.map((_k, i) => last[`dm_k${i}`]),
          ),
        ),
      );
    }
  }
  const s = readValidationRow(
    firstRow(await sk.raw(plan.artifacts.validation.source))!,
  );
  const t = readValidationRow(
    firstRow(await tk.raw(plan.artifacts.validation.target))!,
  );
  expect(
    compareValidation(
      s,
      t,
      plan.columns.map(c => ({
        name: c.target,
        type: td.toLogical(c.targetType),
      })),
    ),
  ).toEqual([]);
  expect(t.row_count).toBe(oldRows.length);

  if (plan.compatibility === 'view') {
    for (const sql of plan.artifacts.cutover) await sk.raw(sql);
    const viaView = allRows(
      await sk.raw(
        `SELECT * FROM ${sd.qualify({
          schema: plan.source.schema,
          table: plan.source.table,
        })} ORDER BY ${plan.source.columns
          .map(c => sd.quote(c.name))
          .join(', ')}`,
      ),
    );
    expect(viaView.map(r => Object.keys(r))[0]).toEqual(
      plan.source.columns.map(c => c.name),
    );
    expect(JSON.stringify(viaView)).toEqual(JSON.stringify(oldRows));
    for (const sql of plan.artifacts.cutoverRollback) await sk.raw(sql);
  } else {
    for (const sql of plan.artifacts.cutover) await sk.raw(sql);
    const table = sd.qualify({
      schema: plan.source.schema,
      table: plan.source.table,
    });
    await expect(sk.raw(`DELETE FROM ${table}`)).rejects.toThrow(
      /Read-only until cleanup/,
    );
    for (const sql of plan.artifacts.cutoverRollback) await sk.raw(sql);
  }
  const restored = allRows(
    await sk.raw(
      `SELECT * FROM ${sd.qualify({
        schema: plan.source.schema,
        table: plan.source.table,
      })} ORDER BY ${plan.source.columns
        .map(c => sd.quote(c.name))
        .join(', ')}`,
    ),
  );
  expect(JSON.stringify(restored)).toEqual(JSON.stringify(oldRows));

  for (const sql of plan.artifacts.rollback) await tk.raw(sql);
  const exists = plan.target.schema
    ? await tk.schema.withSchema(plan.target.schema).hasTable(plan.target.table)
    : await tk.schema.hasTable(plan.target.table);
  expect(exists).toBe(false);
  void sameConnection;
}

describe('SQL agent plans, executed for real', () => {
  const databases = createTestDatabases();
  const ids = databases.eachSupportedId().map(([id]) => id as TestDatabaseId);
  const pairs = ids.flatMap(s => ids.map(t => [s, t] as const));

  it.each(pairs)('%s -> %s', async (sourceId, targetId) => {
    const source = await engineConnection(databases, sourceId, 'source');
    const same = sourceId === targetId && sourceId !== 'SQLITE_3';
    // Same server: the target is the source connection itself, so push-down and views apply.
    const target = same
      ? { ...source, name: 'target' }
      : await engineConnection(databases, targetId, 'target');
    const registry = new ConnectionRegistry(
      new Map([
        ['source', source],
        ['target', target],
      ]),
    );
    try {
      const sd = dialectFor(source.client);
      for (const table of TABLES)
        await createSource(registry.get('source'), sd, table);
      for (const table of TABLES) {
        const plan = await planFor(
          registry,
          { connection: 'source', table: table.name },
          RULES,
        );
        expect(plan.preflight?.error).toBeUndefined();
        expect(plan.preflight).toMatchObject({ status: 'passed' });
        let strategy = 'streamed';
        if (same) strategy = 'push-down';
        else if (
          source.client === 'pg' &&
          target.client === 'pg' &&
          plan.copyKey.length > 0
        )
          strategy = 'copy-pipe';
        expect(plan.copyStrategy).toBe(strategy);
        expect(plan.compatibility).toBe(same ? 'view' : 'frozen-source');
        expect(plan.target.table).toBe(
          `new_${table.name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`,
        );
        expect(plan.findings.some(f => f.code === 'missing-primary-key')).toBe(
          table.primaryKey.length === 0,
        );
        await executePlan(plan, registry, same);
      }
    } finally {
      await registry.destroy();
    }
  });
});
