import type { Finding } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ChosenStrategy } from './chooseStrategy';

/** Each phase's findings, as the phases return them. */
export type PhaseFindings = {
  columns: Finding[];
  keys: Finding[];
  strategy: Pick<
    ChosenStrategy,
    'noCompatibilityView' | 'unprotectedTruncate' | 'readOnlyCompatibilityView'
  >;
  incomingForeignKeys: Finding[];
};

/**
 * The Plan's lint findings in one fixed order: each column's, the new table's keys and
 * constraints, whether a CompatibilityView can stand at the old name, other tables'
 * foreign keys, what a frozen source cannot refuse, and a view that takes no writes. The order is part of the plan:
 * the reviewer reads them so, and the plan hash covers them, so the same input must
 * give the same list from one release of the agent to the next.
 */
export function gatherFindings(phases: PhaseFindings): Finding[] {
  const {
    noCompatibilityView,
    unprotectedTruncate,
    readOnlyCompatibilityView,
  } = phases.strategy;
  return [
    ...phases.columns,
    ...phases.keys,
    ...(noCompatibilityView ? [noCompatibilityView] : []),
    ...phases.incomingForeignKeys,
    ...(unprotectedTruncate ? [unprotectedTruncate] : []),
    ...readOnlyCompatibilityView,
  ];
}
