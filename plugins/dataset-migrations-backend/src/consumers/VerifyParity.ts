import type {
  ConsumerStatement,
  Engine,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerRewriteStatement } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';

/**
 * Proves one rewritten statement: runs the original on the old side and the rewrite
 * on the new one and compares their results (`verified` or `mismatch`, with the
 * evidence). The consumer service is given it, so its tests can pass their own.
 */
export type VerifyParity = (input: {
  statement: ConsumerRewriteStatement;
  oldSide: Knex;
  newSide: Knex;
  engine: Engine;
}) => Promise<ConsumerStatement>;
