import type {
  Finding,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { Dialect, Relation } from '../../dialects/Dialect';
import { shownName } from '../../dialects/ownerMark';

type Placed = Pick<Plan, 'source' | 'target'>;

/** What a person reads when the target's name is taken: which object, and the two ways out. */
export function targetExistsMessage(plan: Placed, found: Relation[]): string {
  const target = `${plan.target.connection}:${shownName(plan.target)}`;
  const source = `${plan.source.connection}:${shownName(plan.source)}`;
  const held = found
    .map(r =>
      r.name === plan.target.table
        ? `a ${r.kind}`
        : `a ${r.kind} named ${r.name}, the same name to this engine`,
    )
    .join(' and ');
  return `The target of ${source}, ${target}, already exists (${held}). The migration would copy into it and its rollback would drop it, though it did not create it. Place ${source} under another name with a rule (target.table or target.schema), or drop ${target} yourself if nothing needs it, then plan again.`;
}

/**
 * A target that already exists blocks the plan on every engine: its rows are not the
 * migration's to empty, nor its table to drop on rollback.
 */
export async function findExistingTarget(
  knex: Knex,
  dialect: Dialect,
  plan: Placed,
): Promise<Finding[]> {
  const found = await dialect.findRelations(knex, {
    schema: plan.target.schema,
    table: plan.target.table,
  });
  if (found.length === 0) return [];
  return [
    {
      code: 'target-exists',
      severity: 'blocking',
      message: targetExistsMessage(plan, found),
    },
  ];
}
