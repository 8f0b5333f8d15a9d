import type { TableSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import {
  AGENT_CONNECTIONS,
  column,
  sourceTable,
} from '../../__testUtils__/agentConnections';
import { rule } from '../../__testUtils__/rule';
import { resolveRules } from '../rules/resolveRules';
import { mapColumns } from './mapColumns';
import { placeTarget } from './placeTarget';
import { planIncomingForeignKeys, planKeys } from './planKeys';

function phasesFor(
  source: TableSchema,
  targetConnection: string,
  rules: DatasetMigrationRule[] = [],
) {
  const decision = resolveRules(source, [
    rule({
      name: 'place',
      target: { connection: targetConnection, table: 'order_lines' },
    }),
    ...rules,
  ]);
  const placement = placeTarget(source, decision.target, AGENT_CONNECTIONS);
  const mapped = mapColumns(source, decision, placement);
  return { placement, mapped, keys: planKeys(source, placement, mapped) };
}

const LINES = [
  column('orderId', 'integer', { isNullable: false }),
  column('lineNo', 'integer', { isNullable: false }),
  column('sku', 'varchar(20)', { isNullable: false }),
  column('note', 'text'),
];

describe('planKeys', () => {
  it('carries the primary key and indexes under target names, and copies by the source key', () => {
    const source = sourceTable('pg', LINES, {
      primaryKey: ['orderId', 'lineNo'],
      indexes: [
        { name: 'lines_sku', columns: ['sku'], isUnique: false },
        { name: 'lines_note', columns: ['note'], isUnique: false },
      ],
    });
    const { keys } = phasesFor(source, 'maria', [
      rule({ name: 'snake', renameColumns: 'snake_case' }),
      rule({ name: 'gone', match: { column: 'note' }, drop: true }),
    ]);
    expect(keys.primaryKey).toEqual(['order_id', 'line_no']);
    expect(keys.copyKey).toEqual(['orderId', 'lineNo']);
    // An index over a dropped column is not carried.
    expect(keys.indexes).toEqual([
      { name: 'order_lines_sku_idx', columns: ['sku'], isUnique: false },
    ]);
    expect(keys.findings).toEqual([]);
  });

  it('copies a table without a primary key by a unique NOT NULL index, with a warning', () => {
    const source = sourceTable('pg', LINES, {
      primaryKey: [],
      indexes: [
        { name: 'lines_note', columns: ['note'], isUnique: true },
        { name: 'lines_line', columns: ['orderId', 'lineNo'], isUnique: true },
      ],
    });
    const { keys } = phasesFor(source, 'pg_other');
    expect(keys.primaryKey).toEqual([]);
    // `note` is nullable, so its unique index cannot order the copy.
    expect(keys.copyKey).toEqual(['orderId', 'lineNo']);
    expect(keys.findings).toEqual([
      expect.objectContaining({ code: 'missing-primary-key' }),
    ]);
    expect(keys.findings[0].message).toContain(
      'the copy orders by its unique index lines_line (orderId, lineNo)',
    );

    const { keys: keyless } = phasesFor(
      sourceTable('pg', LINES, { primaryKey: [] }),
      'pg_other',
    );
    expect(keyless.copyKey).toEqual([]);
    expect(keyless.findings[0].message).toContain('it is copied in one pass');
  });

  it('leaves the target one AUTO_INCREMENT column without changing the mapped columns', () => {
    const source = sourceTable(
      'pg',
      [
        column('id', 'integer', {
          isNullable: false,
          identity: { generation: 'by-default', kind: 'identity' },
        }),
        column('ticket', 'integer', {
          isNullable: false,
          identity: { generation: 'by-default', kind: 'serial' },
        }),
      ],
      { indexes: [{ name: 'by_ticket', columns: ['ticket'], isUnique: true }] },
    );
    const { mapped, keys } = phasesFor(source, 'maria');
    expect(keys.columns.map(c => c.identity?.kind)).toEqual([
      'auto_increment',
      undefined,
    ]);
    expect(keys.model[1].identity).toBeUndefined();
    expect(keys.findings).toEqual([
      expect.objectContaining({ code: 'identity-change', column: 'ticket' }),
    ]);
    expect(mapped.columns[1].identity).toBeDefined();
    expect(mapped.model[1].identity).toBeDefined();
  });

  it('re-points incoming foreign keys under a view and blocks them without one', () => {
    const source = sourceTable('pg', LINES.slice(0, 3), {
      primaryKey: ['orderId', 'lineNo'],
      referencedBy: [
        {
          name: 'returns_line',
          from: { schema: 'public', table: 'returns' },
          columns: ['order_id', 'line_no'],
          references: {
            schema: 'public',
            table: 'orderLines',
            columns: ['orderId', 'lineNo'],
          },
          onDelete: 'NO ACTION',
          onUpdate: 'NO ACTION',
        },
      ],
    });
    const same = phasesFor(source, 'pg');
    const repointed = planIncomingForeignKeys(
      source,
      same.placement,
      same.mapped,
      same.keys,
      'view',
    );
    expect(repointed.keys.map(k => k.name)).toEqual(['returns_line']);
    expect(repointed.findings.map(f => f.severity)).toEqual(['warning']);

    const far = phasesFor(source, 'pg_far');
    const blocked = planIncomingForeignKeys(
      source,
      far.placement,
      far.mapped,
      far.keys,
      'frozen-source',
    );
    expect(blocked.keys).toEqual([]);
    expect(blocked.findings).toEqual([
      expect.objectContaining({
        code: 'incoming-foreign-key',
        severity: 'blocking',
      }),
    ]);
  });
});
