import type { Finding } from '@internal/backstage-plugin-dataset-migrations-common';

/** What a finding is about, as the review groups them. */
export type FindingTopic =
  | 'The target'
  | 'The data'
  | 'The new table’s schema'
  | 'Other tables'
  | 'Readers and writers';

/**
 * Every finding code's topic: a record over the codes, so a new code cannot reach the
 * review without a group.
 */
export const FINDING_TOPICS: Record<Finding['code'], FindingTopic> = {
  'target-exists': 'The target',
  'constraint-name-clash': 'The target',
  'destructive-change': 'The data',
  'narrowing-cast': 'The data',
  'not-null-violation': 'The data',
  'unreadable-data': 'The data',
  'lossy-type': 'The new table’s schema',
  'identity-change': 'The new table’s schema',
  'default-lost': 'The new table’s schema',
  'collation-change': 'The new table’s schema',
  'constraint-not-carried': 'The new table’s schema',
  'missing-primary-key': 'The new table’s schema',
  'incoming-foreign-key': 'Other tables',
  'no-compatibility-view': 'Readers and writers',
  'read-only-compatibility-view': 'Readers and writers',
  'unprotected-truncate': 'Readers and writers',
};

/** The topics in the order the review shows them. */
export const TOPIC_ORDER: FindingTopic[] = [
  'The target',
  'The data',
  'The new table’s schema',
  'Other tables',
  'Readers and writers',
];
