import type {
  Finding,
  FindingCode,
  FindingSeverity,
} from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * What a person does about each finding code. The finding's message says what the agent
 * found on this table (often with the exact statement or rule option); this says who
 * acts and how, for the severity the agent gives the code. A record over the codes, so
 * a new code cannot reach the review without one.
 */
const ACTIONS: Record<FindingCode, string | Record<FindingSeverity, string>> = {
  'destructive-change': {
    blocking:
      'If dropping the column is intended, ask an admin to set allowDestructive: true on the rule; otherwise the rule must keep it. Then click Migrate again.',
    warning:
      'The rule allows it: make sure no reader still needs these values before you confirm.',
  },
  'narrowing-cast': {
    blocking:
      'Ask an admin to widen the cast in the rule, or to allow it (allowDestructive: true) if values that do not fit may fail or lose data. Then click Migrate again.',
    warning:
      'The rule allows it: make sure the values fit the narrower type before you confirm.',
  },
  'not-null-violation':
    'Fill the NULLs in the source, or ask an admin for a rule with a default for the column, then click Migrate again.',
  'unreadable-data':
    'Fix the rows the mapping cannot read, or ask an admin to change the rule that casts them, then click Migrate again.',
  'missing-primary-key':
    'Nothing blocks the move. Consider adding a primary key to the source first: otherwise the new table has none either.',
  'lossy-type':
    'Check that readers accept the target type; if not, ask an admin for a rule that casts the column.',
  'identity-change':
    'Writers that let the database number this column must give its value on the new table.',
  'default-lost':
    'Writers that omit this column must give its value, or an admin adds a default through a rule.',
  'collation-change':
    'Check queries that compare or sort this column: their results may change.',
  'constraint-not-carried':
    'Add an equivalent constraint on the new table after the migration, or make sure writers keep the rule themselves.',
  'constraint-name-clash':
    'Rename or drop the clashing object in the target database, or ask an admin for a rule with another target name, then click Migrate again.',
  'target-exists':
    'Drop or rename the table at the target if it is a leftover, or ask an admin for a rule with another target name, then click Migrate again.',
  'incoming-foreign-key': {
    blocking:
      'Do what the message says (a unique index the key can reference, or the foreign key dropped with the owner of its table), then click Migrate again.',
    warning:
      'Nothing to do: the foreign key is re-pointed to the new table at cutover, and back on rollback.',
  },
  'no-compatibility-view':
    'Tell the consumers to repoint to the new table before an owner finalizes.',
  'read-only-compatibility-view':
    'Move writers to the new table by cutover; readers may stay on the old name until finalize.',
  'unprotected-truncate':
    'Pause jobs that truncate the table until the migration has finished, or add a primary key first.',
};

/** What to do about one finding, for its severity where the code has both. */
export function findingAction(finding: Finding): string {
  const action = ACTIONS[finding.code];
  return typeof action === 'string' ? action : action[finding.severity];
}
