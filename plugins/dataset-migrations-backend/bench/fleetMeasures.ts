/*
 * What `yarn bench:fleet` reads back from the plugin's state database after a
 * campaign: the time its migrations spent inside steps (the databases' own work, as
 * near as the state records it), and how many ran at once per connection and per
 * campaign, from each migration's first step start to its last step finish.
 */
import type { Knex } from 'knex';

export type StepTotals = {
  migrations: number;
  /** Sum over the campaign's migrations of each step's finished_at - started_at. */
  stepMs: number;
  /** Median per migration of that sum. */
  medianStepMs: number;
  /** Median per migration of the time between its steps (span - steps) / gaps. */
  medianGapMs: number;
  /** Steps that needed more than one attempt. */
  retriedSteps: number;
};

export async function stepTotals(
  knex: Knex,
  campaignId: string,
): Promise<StepTotals> {
  const { rows } = await knex.raw(
    `WITH per AS (
       SELECT m.id,
              sum(extract(epoch FROM s.finished_at - s.started_at)) * 1000 AS step_ms,
              extract(epoch FROM max(s.finished_at) - min(s.started_at)) * 1000 AS span_ms,
              count(*) AS steps,
              count(*) FILTER (WHERE s.attempts > 1) AS retried
         FROM dm_migrations m JOIN dm_steps s ON s.migration_id = m.id
        WHERE m.campaign_id = ? AND s.started_at IS NOT NULL AND s.finished_at IS NOT NULL
        GROUP BY m.id)
     SELECT count(*) AS migrations, coalesce(sum(step_ms), 0) AS step_ms,
            coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY step_ms), 0) AS median_step_ms,
            coalesce(percentile_cont(0.5) WITHIN GROUP (
              ORDER BY (span_ms - step_ms) / greatest(steps - 1, 1)), 0) AS median_gap_ms,
            coalesce(sum(retried), 0) AS retried
       FROM per`,
    [campaignId],
  );
  const r = rows[0];
  return {
    migrations: Number(r.migrations),
    stepMs: Number(r.step_ms),
    medianStepMs: Number(r.median_step_ms),
    medianGapMs: Number(r.median_gap_ms),
    retriedSteps: Number(r.retried),
  };
}

type Interval = { start: number; end: number; keys: string[] };

/** The most intervals open at one instant, per key. */
function maxOverlap(intervals: Interval[]): Map<string, number> {
  const edges: Array<{ at: number; delta: number; keys: string[] }> = [];
  for (const i of intervals) {
    edges.push({ at: i.start, delta: 1, keys: i.keys });
    edges.push({ at: i.end, delta: -1, keys: i.keys });
  }
  // An end and a start at the same instant do not overlap: ends first.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const open = new Map<string, number>();
  const max = new Map<string, number>();
  for (const e of edges) {
    for (const key of e.keys) {
      const n = (open.get(key) ?? 0) + e.delta;
      open.set(key, n);
      max.set(key, Math.max(max.get(key) ?? 0, n));
    }
  }
  return max;
}

/**
 * The highest number of the campaign's migrations running at once per source
 * connection, per target connection, per owner and for the campaign.
 */
export async function maxConcurrency(
  knex: Knex,
  campaignId: string,
): Promise<Map<string, number>> {
  const { rows } = await knex.raw(
    `SELECT m.connection, m.target_connection, m.owner_ref,
            min(s.started_at) AS started, max(s.finished_at) AS finished
       FROM dm_migrations m JOIN dm_steps s ON s.migration_id = m.id
      WHERE m.campaign_id = ? AND s.started_at IS NOT NULL AND s.finished_at IS NOT NULL
      GROUP BY m.id, m.connection, m.target_connection, m.owner_ref`,
    [campaignId],
  );
  return maxOverlap(
    rows.map((r: any) => ({
      start: new Date(r.started).getTime(),
      end: new Date(r.finished).getTime(),
      keys: [
        'campaign',
        `source ${r.connection}`,
        `target ${r.target_connection}`,
        `owner ${r.owner_ref}`,
      ],
    })),
  );
}

/** How many of the campaign's copy steps each instance ran (workerId is `<instance>/<slot>`). */
export async function copiesPerInstance(
  knex: Knex,
  campaignId: string,
): Promise<number[]> {
  const { rows } = await knex.raw(
    `SELECT split_part(e.data::json ->> 'workerId', '/', 1) AS instance, count(*) AS n
       FROM dm_events e JOIN dm_migrations m ON m.id = e.migration_id
      WHERE m.campaign_id = ? AND e.type = 'step.started' AND e.step = 'copy'
      GROUP BY 1 ORDER BY 2 DESC`,
    [campaignId],
  );
  return rows.map((r: any) => Number(r.n));
}
