// @ts-check

/**
 * The fleet's health: one row per backend instance with its heartbeat (kept, marked
 * lost, for a while after it stops so admins see what went away), and per worker its
 * state, the restarts of its loop and the copy rate of its current step.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_instances', table => {
    table.string('id', 128).primary();
    table.string('host', 255).notNullable();
    table.integer('pid').notNullable();
    table.integer('worker_slots').notNullable();
    table.text('agent_versions');
    table.timestamp('started_at', { useTz: true, precision: 3 }).notNullable();
    table
      .timestamp('heartbeat_at', { useTz: true, precision: 3 })
      .notNullable();
    table.timestamp('lost_at', { useTz: true, precision: 3 });
  });
  await knex.schema.alterTable('dm_workers', table => {
    table.string('state', 16).notNullable().defaultTo('idle');
    table.integer('restarts').notNullable().defaultTo(0);
    table.timestamp('last_restart_at', { useTz: true, precision: 3 });
    table.text('last_error');
    table.double('rows_per_second');
    table.index(['instance_id'], 'dm_workers_instance_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_workers', table => {
    table.dropIndex(['instance_id'], 'dm_workers_instance_idx');
    table.dropColumn('rows_per_second');
    table.dropColumn('last_error');
    table.dropColumn('last_restart_at');
    table.dropColumn('restarts');
    table.dropColumn('state');
  });
  await knex.schema.dropTable('dm_instances');
};
