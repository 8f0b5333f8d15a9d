import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { Dialect } from '../dialects/Dialect';

/** One side of the move: a database and its dialect. */
export type Side = { connection: string; knex: Knex; dialect: Dialect };

/**
 * What moving rows needs, and nothing of the migration around it: the plan, both
 * sides, a way to stop, and where to keep progress and the checkpoint. The copy and
 * catch-up steps hand their own context, which has all of this.
 */
export type CopyContext = {
  entityRef: string;
  plan: Plan;
  source: Side;
  target: Side;
  /** Aborted when the lease is lost or the migration is cancelled: stop at the next batch. */
  signal: AbortSignal;
  logger: LoggerService;
  checkpoint<T>(): Promise<T | undefined>;
  /**
   * Saves progress and, optionally, the checkpoint the copy resumes from and an event
   * (as `event` writes it), all in one write: a step that reports both at once pays one
   * round trip to the plugin's database, not two.
   */
  progress(update: {
    done: number;
    total?: number | null;
    unit?: string | null;
    checkpoint?: unknown;
    event?: { message: string; data?: Record<string, unknown> };
  }): Promise<void>;
  event(message: string, data?: Record<string, unknown>): Promise<void>;
};

/** Throws when the context was aborted, so loops stop between batches. */
export function throwIfAborted(ctx: Pick<CopyContext, 'signal'>): void {
  if (ctx.signal.aborted) {
    throw ctx.signal.reason instanceof Error
      ? ctx.signal.reason
      : new Error('Step aborted');
  }
}

export const tableOf = (plan: Plan, side: 'source' | 'target') =>
  side === 'source'
    ? { schema: plan.source.schema, table: plan.source.table }
    : { schema: plan.target.schema, table: plan.target.table };
