import type {
  ConsumerStatement,
  Engine,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  ConsumerRewriteStatement,
  ConsumerTableName,
} from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';

/**
 * Proves one rewritten statement: runs the original on the old side and the rewrite
 * on the new one and compares their results (`verified` or `mismatch`, with the
 * evidence). A write runs in transactions rolled back on both sides and is compared by
 * the rows it affected and, given the move, the table it leaves behind. The consumer
 * service is given it, so its tests can pass their own.
 */
export type VerifyParity = (input: {
  statement: ConsumerRewriteStatement;
  oldSide: Knex;
  newSide: Knex;
  engine: Engine;
  move?: {
    from: ConsumerTableName;
    to: ConsumerTableName;
    columns: Array<{ from: string; to: string }>;
  };
}) => Promise<ConsumerStatement>;
