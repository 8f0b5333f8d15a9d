// @ts-check

/**
 * Leases on migrations (workers claim whole migrations, one step at a time), the
 * portable one-active-migration-per-dataset guard, and the worker's current step.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.string('lease_owner', 128);
    table.timestamp('lease_expires_at', { useTz: true, precision: 3 });
    table.timestamp('run_after', { useTz: true, precision: 3 });
    table.index(['status', 'run_after'], 'dm_migrations_claim_idx');
  });
  // A primary key instead of a partial unique index: MySQL has no partial indexes.
  await knex.schema.createTable('dm_active_datasets', table => {
    table.string('entity_ref', 255).primary();
    table.string('migration_id', 36).notNullable();
  });
  await knex.schema.alterTable('dm_workers', table => {
    table.text('current_step');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_workers', table => {
    table.dropColumn('current_step');
  });
  await knex.schema.dropTable('dm_active_datasets');
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(['status', 'run_after'], 'dm_migrations_claim_idx');
    table.dropColumn('run_after');
    table.dropColumn('lease_expires_at');
    table.dropColumn('lease_owner');
  });
};
