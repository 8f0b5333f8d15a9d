import {
  AGENT_CONNECTIONS,
  column,
  sourceTable,
} from '../../__testUtils__/agentConnections';
import { chooseStrategy } from './chooseStrategy';
import { placeTarget } from './placeTarget';

const ID = [column('id', 'integer', { isNullable: false })];

function strategyFor(from: string, to: string, copyKey = ['id']) {
  const source = sourceTable(from, ID);
  const placement = placeTarget(
    source,
    { connection: to, table: 'order_lines', rule: 'place' },
    AGENT_CONNECTIONS,
  );
  return chooseStrategy(source, placement, copyKey);
}

describe('chooseStrategy', () => {
  it('puts a view at the old name and copies inside one database', () => {
    const s = strategyFor('pg', 'pg_reporting');
    expect(s).toMatchObject({
      compatibility: 'view',
      copyStrategy: 'push-down',
      movedToLabel: 'pg_reporting:reporting.order_lines',
    });
    expect(s.noCompatibilityView).toBeUndefined();
    expect(s.foreignServer).toBeUndefined();
  });

  it('reads the new table through postgres_fdw where an admin enabled the pair', () => {
    const s = strategyFor('pg', 'pg_other');
    expect(s).toMatchObject({
      compatibility: 'foreign-view',
      copyStrategy: 'copy-pipe',
      foreignServer: 'dm_fdw_pg_other',
    });
    expect(s.noCompatibilityView).toBeUndefined();
    // COPY ranges need a key; without one the rows stream in one pass.
    expect(strategyFor('pg', 'pg_other', []).copyStrategy).toBe('streamed');
  });

  it('freezes the source and says how to get a view between PostgreSQL databases', () => {
    const s = strategyFor('pg', 'pg_far');
    expect(s.compatibility).toBe('frozen-source');
    expect(s.copyStrategy).toBe('copy-pipe');
    expect(s.noCompatibilityView?.message).toContain(
      'cannot read pg_far:public.order_lines (another database)',
    );
    expect(s.noCompatibilityView?.message).toContain(
      'an admin can enable postgres_fdw for the pair: add { source: pg, target: pg_far }',
    );
  });

  it('names another engine or SQLite as the reason, with no postgres_fdw remedy', () => {
    const toMaria = strategyFor('pg', 'maria');
    expect(toMaria.copyStrategy).toBe('streamed');
    expect(toMaria.noCompatibilityView?.message).toContain('(another engine)');
    expect(toMaria.noCompatibilityView?.message).not.toContain('postgres_fdw');
    expect(
      strategyFor('lite', 'lite_b').noCompatibilityView?.message,
    ).toContain('(SQLite cannot put a view over another file)');
  });

  it('warns that a keyless MySQL/MariaDB source cannot refuse a TRUNCATE', () => {
    expect(strategyFor('maria', 'pg', []).unprotectedTruncate).toMatchObject({
      code: 'unprotected-truncate',
    });
    expect(strategyFor('maria', 'pg').unprotectedTruncate).toBeUndefined();
    expect(strategyFor('pg', 'maria', []).unprotectedTruncate).toBeUndefined();
  });
});
