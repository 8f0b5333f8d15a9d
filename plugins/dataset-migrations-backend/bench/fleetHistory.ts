/*
 * A long history for `yarn bench:fleet`: finished migrations written straight into
 * the plugin's tables in bulk, each a copy of one real migration of an earlier run
 * (its plan, its steps, its events) with its own id, dataset and time. Copying whole
 * rows through json_populate_record keeps the copies shaped like real ones whatever
 * columns later schema versions add.
 */
import type { Knex } from 'knex';

export type MigrationTemplate = {
  migration: object;
  steps: object[];
  events: object[];
};

/** One finished migration of `campaignId`, with its steps and events, as JSON rows. */
export async function readTemplate(
  knex: Knex,
  campaignId: string,
): Promise<MigrationTemplate> {
  const [migration] = (
    await knex.raw(
      `SELECT row_to_json(m) AS row FROM dm_migrations m
        WHERE m.campaign_id = ? AND m.status IN ('awaiting_cleanup', 'completed')
        ORDER BY m.created_at LIMIT 1`,
      [campaignId],
    )
  ).rows;
  if (!migration) throw new Error(`campaign ${campaignId} finished nothing`);
  const id = migration.row.id;
  const rowsOf = async (table: string, order: string) =>
    (
      await knex.raw(
        `SELECT row_to_json(t) AS row FROM ?? t WHERE t.migration_id = ? ORDER BY ??`,
        [table, id, order],
      )
    ).rows.map((r: any) => r.row);
  return {
    migration: migration.row,
    steps: await rowsOf('dm_steps', 'position'),
    events: await rowsOf('dm_events', 'id'),
  };
}

// Migration g of the history: its id, and when it was created (one every 50 s, back
// from now: 100,000 of them span 58 days, about half inside a 30-day window).
const ID = `md5('dm-bench-history-' || g)::uuid::text`;
const CREATED = `(now() - g * interval '50 seconds')`;

/** Writes `count` finished migrations copied from `template`, in batches. */
export async function insertHistory(
  knex: Knex,
  template: MigrationTemplate,
  count: number,
  progress: (done: number) => void,
) {
  const BATCH = 10_000;
  for (let from = 1; from <= count; from += BATCH) {
    const to = Math.min(count, from + BATCH - 1);
    await knex.transaction(async trx => {
      await trx.raw(
        `INSERT INTO dm_migrations
         SELECT r.* FROM generate_series(?::int, ?::int) g,
           LATERAL json_populate_record(null::dm_migrations, (?::jsonb || jsonb_build_object(
             'id', ${ID},
             'entity_ref', 'resource:default/history-' || (g % 5000),
             'status', CASE g % 20 WHEN 0 THEN 'failed' WHEN 1 THEN 'rolled_back' ELSE 'completed' END,
             'error', CASE g % 20 WHEN 0 THEN 'copy failed: synthetic history' END,
             'created_at', ${CREATED},
             'started_at', ${CREATED},
             'updated_at', ${CREATED} + interval '2 seconds',
             'campaign_id', null, 'lease_owner', null, 'lease_expires_at', null, 'run_after', null
           ))::json) r`,
        [from, to, JSON.stringify(template.migration)],
      );
      await trx.raw(
        `INSERT INTO dm_steps
         SELECT r.* FROM generate_series(?::int, ?::int) g,
           jsonb_array_elements(?::jsonb) WITH ORDINALITY AS t(step, k),
           LATERAL json_populate_record(null::dm_steps, (t.step || jsonb_build_object(
             'id', nextval(pg_get_serial_sequence('dm_steps', 'id')),
             'migration_id', ${ID},
             'status', 'succeeded', 'attempts', 1, 'error', null,
             'started_at', ${CREATED} + (k - 1) * interval '200 milliseconds',
             'finished_at', ${CREATED} + (k - 1) * interval '200 milliseconds' + interval '150 milliseconds'
           ))::json) r`,
        [from, to, JSON.stringify(template.steps)],
      );
      await trx.raw(
        `INSERT INTO dm_events
         SELECT r.* FROM generate_series(?::int, ?::int) g,
           jsonb_array_elements(?::jsonb) WITH ORDINALITY AS t(event, k),
           LATERAL json_populate_record(null::dm_events, (t.event || jsonb_build_object(
             'id', nextval(pg_get_serial_sequence('dm_events', 'id')),
             'migration_id', ${ID},
             'created_at', ${CREATED} + k * interval '50 milliseconds'
           ))::json) r`,
        [from, to, JSON.stringify(template.events)],
      );
    });
    progress(to);
  }
  // As autovacuum would have by the time a real history grew this long.
  await knex.raw('ANALYZE dm_migrations, dm_steps, dm_events');
}
