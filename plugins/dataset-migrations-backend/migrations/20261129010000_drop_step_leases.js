// @ts-check

/**
 * Steps never held leases: workers lease whole migrations (dm_migrations). The step
 * columns from the first schema, and their index, were never read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_steps', table => {
    table.dropIndex(['status', 'run_after'], 'dm_steps_runnable_idx');
  });
  await knex.schema.alterTable('dm_steps', table => {
    table.dropColumn('lease_owner');
    table.dropColumn('lease_expires_at');
    table.dropColumn('run_after');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_steps', table => {
    table.string('lease_owner', 128);
    table.timestamp('lease_expires_at', { useTz: true, precision: 3 });
    table.timestamp('run_after', { useTz: true, precision: 3 });
    table.index(['status', 'run_after'], 'dm_steps_runnable_idx');
  });
};
