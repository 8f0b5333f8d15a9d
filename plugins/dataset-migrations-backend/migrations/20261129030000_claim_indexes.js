// @ts-check

/**
 * What the claim reads, indexed by what is runnable rather than by history: the load on
 * each cap (started migrations, and queued ones whose lease is live) by status and lease
 * expiry, and a campaign's starts of the last minute by start time. Plus the one-row
 * table that claims of queued migrations lock in turn on MySQL/MariaDB and SQLite, so
 * that two instances checking the caps at once cannot both take the last free place
 * (PostgreSQL uses an advisory lock instead).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.index(['status', 'lease_expires_at'], 'dm_migrations_lease_idx');
    table.index(['started_at'], 'dm_migrations_started_idx');
  });
  await knex.schema.createTable('dm_claim_lock', table => {
    table.integer('id').primary();
    table.timestamp('taken_at', { useTz: true, precision: 3 });
  });
  await knex('dm_claim_lock').insert({ id: 1, taken_at: null });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_claim_lock');
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(['started_at'], 'dm_migrations_started_idx');
    table.dropIndex(['status', 'lease_expires_at'], 'dm_migrations_lease_idx');
  });
};
