import type { TableSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import {
  AGENT_CONNECTIONS,
  column,
  sourceTable,
} from '../../__testUtils__/agentConnections';
import { rule } from '../../__testUtils__/rule';
import { resolveRules } from '../rules/resolveRules';
import { chooseStrategy } from './chooseStrategy';
import { mapColumns } from './mapColumns';
import { artifactModelOf, planArtifacts } from './planArtifacts';
import { placeTarget } from './placeTarget';
import { planKeys } from './planKeys';

function inputFor(source: TableSchema, targetConnection: string) {
  const decision = resolveRules(source, [
    rule({
      name: 'place',
      target: { connection: targetConnection, table: '{table:snake}' },
      renameColumns: 'snake_case',
    }),
  ]);
  const placement = placeTarget(source, decision.target, AGENT_CONNECTIONS);
  const mapped = mapColumns(source, decision, placement);
  const keys = planKeys(source, placement, mapped);
  const strategy = chooseStrategy(source, placement, keys.copyKey);
  return {
    source,
    placement,
    mapped,
    keys,
    strategy,
    incomingForeignKeys: [],
  };
}

const LINES = [
  column('orderId', 'integer', { isNullable: false }),
  column('unitPrice', 'numeric(12,2)'),
];

describe('planArtifacts', () => {
  it("gathers the phases' decisions into the model, with the copy key's source types", () => {
    const input = inputFor(
      sourceTable('pg', LINES, { primaryKey: ['orderId'] }),
      'pg_other',
    );
    const model = artifactModelOf(input);
    expect(model).toMatchObject({
      source: { schema: 'public', table: 'orderLines' },
      target: { schema: 'public', table: 'order_lines' },
      primaryKey: ['order_id'],
      copyKey: ['orderId'],
      copyKeyTypes: ['integer'],
      copyStrategy: 'copy-pipe',
      compatibility: 'foreign-view',
      foreignServer: 'dm_fdw_pg_other',
      movedToLabel: 'pg_other:public.order_lines',
      isSameDatabase: false,
    });
    expect(model.columns).toBe(input.keys.model);
    expect(model.viewColumns).toBe(input.mapped.viewColumns);
  });

  it('generates the target DDL and a view with the old column names', () => {
    const artifacts = planArtifacts(
      inputFor(sourceTable('lite', LINES, { primaryKey: ['orderId'] }), 'lite'),
    );
    expect(artifacts.targetDdl[0]).toMatch(/^CREATE TABLE "order_lines"/);
    expect(artifacts.targetDdl[0]).toContain('PRIMARY KEY ("order_id")');
    expect(artifacts.compatibilityView.join('\n')).toContain(
      '"unit_price" AS "unitPrice"',
    );
    expect(artifacts.copy).toMatch(/^INSERT INTO "order_lines"/);
  });
});
