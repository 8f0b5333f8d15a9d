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

const COLUMNS = [
  column('id', 'integer', { isNullable: false }),
  column('unitPrice', 'numeric(12,2)'),
  column('quantity', 'bigint'),
  column('legacyCode', 'text'),
];

function mapOn(
  connection: string,
  targetConnection: string,
  rules: DatasetMigrationRule[],
  columns = COLUMNS,
) {
  const source = sourceTable(connection, columns);
  const decision = resolveRules(source, [
    rule({
      name: 'place',
      target: { connection: targetConnection, table: '{table:snake}' },
    }),
    ...rules,
  ]);
  const placement = placeTarget(source, decision.target, AGENT_CONNECTIONS);
  return mapColumns(source, decision, placement);
}

describe('mapColumns', () => {
  it('renames columns and keeps types exactly on the same engine', () => {
    const mapped = mapOn('pg', 'pg', [
      rule({ name: 'snake', renameColumns: 'snake_case' }),
    ]);
    expect(mapped.columns.map(c => [c.source, c.target, c.targetType])).toEqual(
      [
        ['id', 'id', 'integer'],
        ['unitPrice', 'unit_price', 'numeric(12,2)'],
        ['quantity', 'quantity', 'bigint'],
        ['legacyCode', 'legacy_code', 'text'],
      ],
    );
    // The CompatibilityView gives the old names back.
    expect(mapped.viewColumns[1]).toEqual({
      oldName: 'unitPrice',
      expression: '"unit_price"',
    });
    expect(mapped.targetNameOf.get('unitPrice')).toBe('unit_price');
    expect(mapped.columns[0].isNullable).toBe(false);
    expect(mapped.model.map(m => m.target)).toEqual(
      mapped.columns.map(c => c.target),
    );
    expect(mapped.findings).toEqual([]);
  });

  it('blocks a narrowing cast unless the rule allows it, and casts both ways', () => {
    const [blocked] = mapOn('pg', 'pg', [
      rule({ name: 'shrink', match: { column: 'quantity' }, cast: 'integer' }),
    ]).findings;
    expect(blocked).toMatchObject({
      code: 'narrowing-cast',
      severity: 'blocking',
      column: 'quantity',
    });

    const allowed = mapOn('pg', 'pg', [
      rule({
        name: 'shrink',
        match: { column: 'quantity' },
        cast: 'integer',
        allowDestructive: true,
      }),
    ]);
    expect(allowed.findings.map(f => [f.code, f.severity])).toEqual([
      ['narrowing-cast', 'warning'],
    ]);
    const quantity = allowed.columns[2];
    expect(quantity.sourceExpression).toMatch(/^CAST\("quantity" AS /);
    expect(quantity.reverseExpression).toMatch(/^CAST\("quantity" AS /);
    expect(quantity.rule).toBe('default, shrink');
  });

  it('drops a column only as a finding and keeps it in the view as NULL', () => {
    const mapped = mapOn('pg', 'pg', [
      rule({ name: 'gone', match: { column: 'legacyCode' }, drop: true }),
    ]);
    expect(mapped.columns.map(c => c.source)).toEqual([
      'id',
      'unitPrice',
      'quantity',
    ]);
    expect(mapped.targetNameOf.has('legacyCode')).toBe(false);
    expect(mapped.viewColumns[3].oldName).toBe('legacyCode');
    expect(mapped.viewColumns[3].expression).toMatch(/^CAST\(NULL AS /);
    expect(mapped.findings).toEqual([
      expect.objectContaining({
        code: 'destructive-change',
        severity: 'blocking',
        column: 'legacyCode',
      }),
    ]);
  });

  it("fills the source's NULLs with a rule default", () => {
    const mapped = mapOn('pg', 'maria', [
      rule({ name: 'zero', match: { column: 'quantity' }, default: 0 }),
    ]);
    expect(mapped.columns[2]).toMatchObject({
      sourceExpression: 'COALESCE("quantity", 0)',
      defaultValue: '0',
    });
  });

  it('appends computed columns from source columns in the source dialect', () => {
    const mapped = mapOn('maria', 'pg', [
      rule({
        name: 'total',
        computed: [
          {
            name: 'total',
            type: 'numeric(14,2)',
            expression: '{unitPrice} * {quantity}',
          },
        ],
      }),
    ]);
    expect(mapped.columns[4]).toMatchObject({
      source: null,
      target: 'total',
      sourceExpression: '`unitPrice` * `quantity`',
      reverseExpression: null,
      rule: 'total',
    });
    expect(() =>
      mapOn('maria', 'pg', [
        rule({
          name: 'total',
          computed: [{ name: 'total', type: 'integer', expression: '{price}' }],
        }),
      ]),
    ).toThrow(
      'Rule "total" computes total from {price}, which is not a column of orderLines',
    );
  });

  it('refuses two columns that map to one target name, whatever their case', () => {
    expect(() =>
      mapOn('pg', 'pg', [
        rule({ name: 'clash', match: { column: 'quantity' }, renameTo: 'ID' }),
      ]),
    ).toThrow(
      'Two columns of orderLines map to the target column "ID" (id and quantity); add a renameTo rule for one of them',
    );
  });
});
