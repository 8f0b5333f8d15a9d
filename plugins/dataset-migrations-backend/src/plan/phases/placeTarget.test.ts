import {
  AGENT_CONNECTIONS,
  column,
  sourceTable,
} from '../../__testUtils__/agentConnections';
import { mysqlDialect } from '../../dialects/mysql';
import { postgresDialect } from '../../dialects/postgres';
import { placeTarget } from './placeTarget';

const ID = [column('id', 'integer', { isNullable: false })];
const placed = (
  rule: string,
  connection: string,
  table: string,
  schema?: string,
) => ({
  rule,
  connection,
  table,
  ...(schema ? { schema } : {}),
});

describe('placeTarget', () => {
  it('keeps the source schema on the same connection', () => {
    const p = placeTarget(
      sourceTable('pg', ID, { schema: 'sales' }),
      placed('default', 'pg', 'order_lines'),
      AGENT_CONNECTIONS,
    );
    expect(p.target).toEqual({ schema: 'sales', table: 'order_lines' });
    expect(p.source).toEqual({ schema: 'sales', table: 'orderLines' });
    expect(p.isSameDatabase).toBe(true);
    expect(p.sourceDialect).toBe(postgresDialect);
    expect(p.targetDialect).toBe(postgresDialect);
  });

  it("takes the target connection's default schema unless the rule names one", () => {
    const source = sourceTable('pg', ID, { schema: 'sales' });
    const toMaria = placeTarget(
      source,
      placed('to-maria', 'maria', 'order_lines'),
      AGENT_CONNECTIONS,
    );
    expect(toMaria.target).toEqual({ schema: 'shop', table: 'order_lines' });
    expect(toMaria.targetDialect).toBe(mysqlDialect);
    expect(toMaria.isSameDatabase).toBe(false);

    const named = placeTarget(
      source,
      placed('to-maria', 'maria', 'order_lines', 'archive'),
      AGENT_CONNECTIONS,
    );
    expect(named.target.schema).toBe('archive');
  });

  it('sees two connections to one database as the same database', () => {
    const p = placeTarget(
      sourceTable('pg', ID),
      placed('reporting', 'pg_reporting', 'orderLines'),
      AGENT_CONNECTIONS,
    );
    expect(p.isSameDatabase).toBe(true);
    expect(p.target).toEqual({ schema: 'reporting', table: 'orderLines' });
  });

  it('gives a SQLite target no schema, and refuses one a rule names on another file', () => {
    const source = sourceTable('lite', ID);
    expect(
      placeTarget(source, placed('r', 'lite', 'order_lines'), AGENT_CONNECTIONS)
        .target,
    ).toEqual({ schema: undefined, table: 'order_lines' });
    expect(() =>
      placeTarget(
        source,
        placed('r', 'lite_b', 'order_lines', 'main'),
        AGENT_CONNECTIONS,
      ),
    ).toThrow(
      'Rule "r" places orderLines in schema "main" of SQLite connection "lite_b"; SQLite has no schemas, remove target.schema',
    );
  });

  it("refuses the table's own name in the same database", () => {
    expect(() =>
      placeTarget(
        sourceTable('pg', ID),
        placed('keep', 'pg_reporting', 'orderLines', 'public'),
        AGENT_CONNECTIONS,
      ),
    ).toThrow(/Rule "keep" places orderLines at its own name/);
  });

  it('names a connection that is not configured', () => {
    expect(() =>
      placeTarget(
        sourceTable('pg', ID),
        placed('r', 'warehouse', 'order_lines'),
        AGENT_CONNECTIONS,
      ),
    ).toThrow(
      'Connection "warehouse" is not configured; add it under datasetMigrations.connections',
    );
  });
});
