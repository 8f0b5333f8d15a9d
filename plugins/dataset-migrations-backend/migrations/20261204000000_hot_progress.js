// @ts-check

/** A migration whose run is over (RAN_STATUSES in src/store/ranStatuses.ts). */
const RAN = [
  'awaiting_cleanup',
  'cleaning_up',
  'cleanup_failed',
  'completed',
  'failed',
  'rolled_back',
];

/**
 * A running migration's row is written a score of times (each step's progress and
 * boundaries bump updated_at) and read back whole only now and then. Two things made
 * every one of those writes a new entry in all thirteen of dm_migrations' indexes:
 *
 * - updated_at was a column of dm_migrations_agent_idx, and an update that changes an
 *   indexed column cannot be HOT (heap-only: no index entry written). The rollout
 *   gates that index served select a version's migrations that finished in a window:
 *   `finished_at`, set by the status change that ends a run (and by each later one,
 *   as updated_at was), serves them now; a status change rewrites its indexes anyway.
 * - On PostgreSQL, a row carries its plan (about 3 KB): two rows filled a page, and a
 *   HOT update needs room on the same page. `toast_tuple_target` keeps the plan out of
 *   line (compressed, in the table's TOAST), so a row is a few hundred bytes, and
 *   fillfactor leaves room for its next versions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.timestamp('finished_at', { useTz: true, precision: 3 });
  });
  // Runs that ended before: the last change of their status is their updated_at.
  await knex('dm_migrations')
    .whereIn('status', RAN)
    .update({ finished_at: knex.ref('updated_at') });
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(
      ['agent_id', 'agent_version', 'updated_at'],
      'dm_migrations_agent_idx',
    );
    table.index(
      ['agent_id', 'agent_version', 'finished_at'],
      'dm_migrations_agent_idx',
    );
  });
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(
      'ALTER TABLE dm_migrations SET (toast_tuple_target = 128, fillfactor = 90)',
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(
      'ALTER TABLE dm_migrations RESET (toast_tuple_target, fillfactor)',
    );
  }
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(
      ['agent_id', 'agent_version', 'finished_at'],
      'dm_migrations_agent_idx',
    );
    table.index(
      ['agent_id', 'agent_version', 'updated_at'],
      'dm_migrations_agent_idx',
    );
  });
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropColumn('finished_at');
  });
};
