import fs from 'node:fs';
import path from 'node:path';
import {
  GOLDEN_CASES,
  GOLDEN_CONNECTIONS,
  renderGolden,
} from '../__testUtils__/goldenPlans';
import { SQL_AGENT_CANDIDATE, SqlAgent } from './SqlAgent';

/*
 * Golden tests: the SQL the agent generates for a few representative tables, kept as
 * readable .sql files under __golden__ so a change to generation shows up in review.
 * Regenerate deliberately with UPDATE_GOLDEN=1 and read the diff.
 */

const planOf = (agent: SqlAgent, c: (typeof GOLDEN_CASES)[number]) =>
  agent.createPlan({
    entityRef: `resource:default/${c.name}`,
    source: c.source,
    connections: GOLDEN_CONNECTIONS,
    rules: c.rules,
  });

/** The stored golden text of `file` (written from `text` first with UPDATE_GOLDEN=1). */
function golden(file: string, text: string): string {
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return fs.readFileSync(file, 'utf8');
}

describe('generated SQL (golden files)', () => {
  it.each(GOLDEN_CASES.map(c => [c.name, c] as const))(
    '%s',
    async (name, c) => {
      const text = renderGolden(await planOf(new SqlAgent(), c));
      const file = path.join(__dirname, '__golden__', `${name}.sql`);
      expect(text).toBe(golden(file, text));
    },
  );
});

/*
 * The candidate, 1.4.0: where the source has secondary indexes, its SQL is kept under
 * __golden__/sql-1.4.0; everywhere else it must generate exactly what 1.3.0 does.
 */
describe(`generated SQL of SQL agent ${SQL_AGENT_CANDIDATE.version} (golden files)`, () => {
  const indexed = GOLDEN_CASES.filter(c => c.source.indexes.length > 0);
  const unindexed = GOLDEN_CASES.filter(c => c.source.indexes.length === 0);

  it.each(indexed.map(c => [c.name, c] as const))(
    '%s: indexes after the copy',
    async (name, c) => {
      const plan = await planOf(new SqlAgent(SQL_AGENT_CANDIDATE), c);
      expect(plan.artifacts.postCopyDdl?.length).toBeGreaterThan(0);
      const text = renderGolden(plan);
      const file = path.join(
        __dirname,
        '__golden__',
        `sql-${SQL_AGENT_CANDIDATE.version}`,
        `${name}.sql`,
      );
      expect(text).toBe(golden(file, text));
    },
  );

  it.each(unindexed.map(c => [c.name, c] as const))(
    '%s: the same plan as the stable version',
    async (_name, c) => {
      expect(await planOf(new SqlAgent(SQL_AGENT_CANDIDATE), c)).toEqual(
        await planOf(new SqlAgent(), c),
      );
    },
  );
});
