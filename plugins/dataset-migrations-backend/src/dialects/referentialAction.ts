import { InputError } from '@backstage/errors';

/** The referential actions SQL spells, the only text of a foreign key's actions that reaches SQL. */
const ACTIONS = [
  'NO ACTION',
  'RESTRICT',
  'CASCADE',
  'SET NULL',
  'SET DEFAULT',
] as const;

export type ReferentialAction = (typeof ACTIONS)[number];

/** PostgreSQL's pg_constraint.confupdtype / confdeltype codes. */
const POSTGRES_CODES: Record<string, ReferentialAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * A referential action as SQL spells it, from an engine's report (`cascade`,
 * PostgreSQL's `c`, MySQL's `SET NULL`); anything else is refused, so a plan never
 * carries action text it could not write back safely.
 */
export function referentialAction(reported: unknown): ReferentialAction {
  const text = String(reported ?? '').trim();
  const spelled =
    POSTGRES_CODES[text] ?? text.toUpperCase().replace(/\s+/g, ' ');
  const action = ACTIONS.find(a => a === spelled);
  if (!action) {
    throw new InputError(
      `Unknown referential action ${JSON.stringify(
        text,
      )} in a foreign key; expected one of ${ACTIONS.join(', ')}`,
    );
  }
  return action;
}

/** `pg_constraint.condeferrable` / `condeferred` as a foreign key's `deferrable`. */
export function deferrableOf(row: Record<string, unknown>): {
  deferrable?: 'immediate' | 'deferred';
} {
  if (!row.is_deferrable) return {};
  return { deferrable: row.is_deferred ? 'deferred' : 'immediate' };
}

/** The clause that keeps a key deferrable, for engines that have it (PostgreSQL, SQLite). */
export function deferrableClause(
  deferrable: 'immediate' | 'deferred' | undefined,
): string {
  if (!deferrable) return '';
  return ` DEFERRABLE INITIALLY ${
    deferrable === 'deferred' ? 'DEFERRED' : 'IMMEDIATE'
  }`;
}
