import type { TableSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  AgentConnection,
  AgentPlan,
  DatasetMigrationRule,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { rule } from './rule';

/*
 * The tables and rules of the golden tests (src/plan/goldenSql.test.ts): a few
 * representative moves whose generated SQL is kept as readable .sql files.
 */

export const GOLDEN_CONNECTIONS: AgentConnection[] = [
  { name: 'warehouse', engine: 'sqlite', databaseKey: 'sqlite:/w.sqlite' },
  { name: 'lakehouse', engine: 'sqlite', databaseKey: 'sqlite:/l.sqlite' },
  {
    name: 'pg',
    engine: 'postgres',
    databaseKey: 'pg:h:5432/app',
    defaultSchema: 'public',
    // An admin enabled postgres_fdw for pg -> pg_archive, not the other way round.
    foreignViewTargets: ['pg_archive'],
  },
  {
    name: 'pg_archive',
    engine: 'postgres',
    databaseKey: 'pg:h:5432/archive',
    defaultSchema: 'public',
  },
  {
    name: 'maria',
    engine: 'mysql',
    databaseKey: 'mysql:h:3306',
    defaultSchema: 'shop',
  },
];

/** A PostgreSQL table for the moves between two PostgreSQL databases. */
function INVOICE_LINES(connection: string): TableSchema {
  return {
    connection,
    engine: 'postgres',
    schema: 'billing',
    table: 'invoiceLines',
    columns: [
      { name: 'lineId', type: 'bigint', isNullable: false, defaultValue: null },
      {
        name: 'amountCents',
        type: 'integer',
        isNullable: false,
        defaultValue: null,
      },
      {
        name: 'createdAt',
        type: 'timestamp without time zone',
        isNullable: false,
        defaultValue: null,
      },
      { name: 'note', type: 'text', isNullable: true, defaultValue: null },
    ],
    primaryKey: ['lineId'],
    indexes: [],
    rowEstimate: 500,
  };
}

export const GOLDEN_CASES: Array<{
  name: string;
  source: TableSchema;
  rules: DatasetMigrationRule[];
}> = [
  {
    name: 'sqlite-same-database-view',
    source: {
      connection: 'warehouse',
      engine: 'sqlite',
      table: 'salesOrders',
      columns: [
        {
          name: 'orderId',
          type: 'integer',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'totalAmount',
          type: 'decimal(12,2)',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'statusCode',
          type: 'varchar(16)',
          isNullable: false,
          defaultValue: "'open'",
        },
        { name: 'notes', type: 'text', isNullable: true, defaultValue: null },
      ],
      primaryKey: ['orderId'],
      indexes: [
        {
          name: 'salesOrders_status',
          columns: ['statusCode'],
          isUnique: false,
        },
        {
          name: 'sqlite_autoindex_salesOrders_1',
          columns: ['notes'],
          isUnique: true,
          isConstraint: true,
        },
      ],
      rowEstimate: 20000,
      // Same database: the check on a plainly renamed column is carried, the one on
      // the cast column is a finding; the self-reference is one too (SQLite).
      checks: [
        {
          name: 'salesOrders_check1',
          expression: `"statusCode" IN ('open', 'paid')`,
        },
        { name: 'salesOrders_check2', expression: '"totalAmount" >= 0' },
      ],
      foreignKeys: [
        {
          name: 'salesOrders_fk0',
          columns: ['orderId'],
          references: { table: 'salesOrders', columns: ['orderId'] },
          onDelete: 'NO ACTION',
          onUpdate: 'NO ACTION',
        },
      ],
    },
    rules: [
      rule({
        name: 'money',
        match: { column: '*Amount' },
        cast: 'numeric(14,2)',
      }),
      rule({
        name: 'snake',
        match: { connection: 'warehouse' },
        renameColumns: 'snake_case',
        target: { table: '{table:snake}' },
      }),
    ],
  },
  {
    name: 'postgres-to-mariadb-composite-key',
    source: {
      connection: 'pg',
      engine: 'postgres',
      schema: 'sales',
      table: 'order',
      columns: [
        {
          name: 'group',
          type: 'integer',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'lineNo',
          type: 'smallint',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'placedAt',
          type: 'timestamp with time zone',
          isNullable: false,
          defaultValue: 'now()',
        },
        {
          name: 'isGift',
          type: 'boolean',
          isNullable: false,
          defaultValue: 'false',
        },
        {
          name: 'Menge€',
          type: 'numeric(10,3)',
          isNullable: true,
          defaultValue: null,
        },
      ],
      primaryKey: ['group', 'lineNo'],
      indexes: [],
      rowEstimate: 1000,
      // Across engines: the numeric check is translated, the boolean one is a finding;
      // the composite foreign key to another table cannot reach it from MariaDB.
      checks: [
        { name: 'order_lineNo_check', expression: '("lineNo" > 0)' },
        {
          name: 'order_gift_check',
          expression: '("isGift" OR ("Menge€" > (0)::numeric))',
        },
      ],
      foreignKeys: [
        {
          name: 'order_group_fkey',
          columns: ['group', 'lineNo'],
          references: {
            schema: 'sales',
            table: 'orderGroups',
            columns: ['group', 'lineNo'],
          },
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
      ],
    },
    rules: [
      rule({
        name: 'to maria',
        match: { connection: 'pg' },
        renameColumns: 'snake_case',
        target: { connection: 'maria', table: '{schema}_{table}' },
      }),
    ],
  },
  {
    name: 'mariadb-no-primary-key-to-postgres',
    source: {
      connection: 'maria',
      engine: 'mysql',
      schema: 'shop',
      table: 'auditLog',
      columns: [
        {
          name: 'loggedAt',
          type: 'datetime',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'actorName',
          type: 'varchar(64)',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'payloadJson',
          type: 'longtext',
          isNullable: true,
          defaultValue: 'NULL',
        },
        {
          name: 'legacyFlag',
          type: 'tinyint(1)',
          isNullable: true,
          defaultValue: null,
        },
      ],
      primaryKey: [],
      indexes: [],
      rowEstimate: 2000,
    },
    rules: [
      rule({
        name: 'drop legacy',
        match: { column: 'legacyFlag' },
        drop: true,
        allowDestructive: true,
      }),
      rule({
        name: 'to pg',
        match: { connection: 'maria' },
        renameColumns: 'snake_case',
        target: { connection: 'pg', schema: 'archive', table: '{table:snake}' },
      }),
    ],
  },
  {
    name: 'postgres-across-databases-foreign-view',
    source: INVOICE_LINES('pg'),
    rules: [
      rule({ name: 'wider', match: { column: 'amountCents' }, cast: 'bigint' }),
      rule({
        name: 'to archive',
        match: { connection: 'pg' },
        renameColumns: 'snake_case',
        target: { connection: 'pg_archive', table: '{table:snake}' },
      }),
    ],
  },
  {
    // Issue 10 (columns): an ALWAYS identity, a serial, expression defaults, a collation
    // and a real, moved within one database: all carried, the identities positioned at
    // cutover (identitySync).
    name: 'postgres-columns-same-database',
    source: {
      connection: 'pg',
      engine: 'postgres',
      schema: 'support',
      table: 'tickets',
      columns: [
        {
          name: 'id',
          type: 'integer',
          isNullable: false,
          defaultValue: null,
          identity: { generation: 'always', kind: 'identity' },
        },
        {
          name: 'ref',
          type: 'bigint',
          isNullable: false,
          defaultValue: "nextval('support.tickets_ref_seq'::regclass)",
          isDefaultExpression: true,
          identity: { generation: 'by-default', kind: 'serial' },
        },
        {
          name: 'openedAt',
          type: 'timestamp with time zone',
          isNullable: false,
          defaultValue: 'now()',
          isDefaultExpression: true,
        },
        {
          name: 'token',
          type: 'uuid',
          isNullable: true,
          defaultValue: 'gen_random_uuid()',
          isDefaultExpression: true,
        },
        {
          name: 'title',
          type: 'text',
          isNullable: true,
          defaultValue: null,
          collation: 'C',
        },
        { name: 'score', type: 'real', isNullable: true, defaultValue: null },
      ],
      primaryKey: ['id'],
      indexes: [],
      rowEstimate: 100,
    },
    rules: [
      rule({
        name: 'modernise',
        match: { connection: 'pg' },
        renameColumns: 'snake_case',
        target: { connection: 'pg', schema: 'modern', table: '{table:snake}' },
      }),
    ],
  },
  {
    // Issue 10 (columns): MariaDB's AUTO_INCREMENT and expression default carried to
    // PostgreSQL; tinyint(1), unsigned, float and a _ci collation are findings.
    name: 'mariadb-columns-to-postgres',
    source: {
      connection: 'maria',
      engine: 'mysql',
      schema: 'shop',
      table: 'customers',
      columns: [
        {
          name: 'id',
          type: 'int(11)',
          isNullable: false,
          defaultValue: null,
          identity: { generation: 'by-default', kind: 'auto_increment' },
        },
        {
          name: 'email',
          type: 'varchar(120)',
          isNullable: false,
          defaultValue: null,
          collation: 'utf8mb4_general_ci',
        },
        {
          name: 'isActive',
          type: 'tinyint(1)',
          isNullable: false,
          defaultValue: '1',
          isDefaultExpression: false,
        },
        {
          name: 'visits',
          type: 'int(10) unsigned',
          isNullable: false,
          defaultValue: '0',
          isDefaultExpression: false,
        },
        { name: 'rating', type: 'float', isNullable: true, defaultValue: null },
        {
          name: 'createdAt',
          type: 'datetime',
          isNullable: false,
          defaultValue: 'current_timestamp()',
          isDefaultExpression: true,
        },
      ],
      primaryKey: ['id'],
      indexes: [],
      rowEstimate: 100,
    },
    rules: [
      rule({
        name: 'to pg',
        match: { connection: 'maria' },
        renameColumns: 'snake_case',
        target: { connection: 'pg', schema: 'crm', table: '{table:snake}' },
      }),
    ],
  },
  {
    name: 'postgres-across-databases-not-enabled',
    source: INVOICE_LINES('pg_archive'),
    rules: [
      rule({
        name: 'back to app',
        match: { connection: 'pg_archive' },
        renameColumns: 'snake_case',
        target: { connection: 'pg', table: '{table:snake}' },
      }),
    ],
  },
  {
    // Other tables reference it: cutover re-points their foreign keys to the new table.
    name: 'postgres-same-database-referenced',
    source: {
      ...INVOICE_LINES('pg'),
      indexes: [
        {
          name: 'invoiceLines_line_note',
          columns: ['lineId', 'note'],
          isUnique: true,
        },
      ],
      referencedBy: [
        {
          name: 'refunds_line',
          from: { schema: 'billing', table: 'refunds' },
          columns: ['lineId'],
          references: {
            schema: 'billing',
            table: 'invoiceLines',
            columns: ['lineId'],
          },
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
        {
          name: 'notes_line',
          from: { schema: 'audit', table: 'lineNotes' },
          columns: ['line', 'note'],
          references: {
            schema: 'billing',
            table: 'invoiceLines',
            columns: ['lineId', 'note'],
          },
          onDelete: 'SET NULL',
          onUpdate: 'RESTRICT',
        },
      ],
    },
    rules: [
      rule({
        name: 'snake',
        match: { connection: 'pg' },
        renameColumns: 'snake_case',
        target: { table: '{table:snake}' },
      }),
    ],
  },
  {
    // Secondary indexes on MariaDB: a text column's takes a prefix length there.
    name: 'mariadb-indexed-same-database',
    source: {
      connection: 'maria',
      engine: 'mysql',
      schema: 'shop',
      table: 'reviews',
      columns: [
        { name: 'id', type: 'int(11)', isNullable: false, defaultValue: null },
        {
          name: 'productSku',
          type: 'varchar(32)',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'stars',
          type: 'tinyint(4)',
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'body',
          type: 'longtext',
          isNullable: true,
          defaultValue: null,
        },
      ],
      primaryKey: ['id'],
      indexes: [
        {
          name: 'reviews_sku_stars',
          columns: ['productSku', 'stars'],
          isUnique: false,
        },
        { name: 'reviews_body', columns: ['body'], isUnique: false },
      ],
      rowEstimate: 100000,
    },
    rules: [
      rule({
        name: 'snake',
        match: { connection: 'maria' },
        renameColumns: 'snake_case',
        target: { table: '{table}_v2' },
      }),
    ],
  },
];

/** A plan as a readable .sql file: its header, findings and every artifact. */
export function renderGolden(plan: AgentPlan): string {
  const out: string[] = [
    `-- ${plan.source.engine} ${plan.source.schema ?? ''}${
      plan.source.schema ? '.' : ''
    }${plan.source.table} -> ${plan.target.engine} ${plan.target.connection}:${
      plan.target.schema ? `${plan.target.schema}.` : ''
    }${plan.target.table}`,
    `-- copy: ${plan.copyStrategy}; readers of the old name: ${
      plan.compatibility
    }; copy key: ${plan.copyKey.join(', ') || '(none)'}`,
    ...plan.findings.map(
      f =>
        `-- finding ${f.severity} ${f.code}${
          f.column ? ` (${f.column})` : ''
        }: ${f.message}`,
    ),
  ];
  for (const [name, value] of Object.entries(plan.artifacts)) {
    if (value === undefined) continue;
    out.push('', `-- ${name}`);
    if (typeof value === 'string') out.push(`${value};`);
    else if (Array.isArray(value)) out.push(...value.map(v => `${v};`));
    else
      out.push(
        `-- source side`,
        `${value.source};`,
        `-- target side`,
        `${value.target};`,
      );
  }
  return `${out.join('\n')}\n`;
}
