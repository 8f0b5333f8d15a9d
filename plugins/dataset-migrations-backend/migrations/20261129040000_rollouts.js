// @ts-check

/**
 * Rollouts of agent versions: the stable version of each agent (so a newly registered
 * version gets no traffic until a rollout promotes it), rollouts with their step in
 * force, and every decision with the numbers that led to it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_agent_stable', table => {
    table.string('agent_id', 128).primary();
    table.string('version', 64).notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
  });

  await knex.schema.createTable('dm_rollouts', table => {
    table.string('id', 36).primary();
    table.string('agent_id', 128).notNullable();
    table.string('candidate_version', 64).notNullable();
    table.string('stable_version', 64).notNullable();
    table.string('status', 16).notNullable();
    table.integer('step').notNullable();
    table.text('steps_json').notNullable();
    table.integer('min_per_step').notNullable();
    table.integer('bake_seconds').notNullable();
    table.text('gates_json').notNullable();
    table.string('on_abort', 16).notNullable();
    table
      .timestamp('step_started_at', { useTz: true, precision: 3 })
      .notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.index(['agent_id', 'status'], 'dm_rollouts_agent_idx');
  });

  await knex.schema.createTable('dm_rollout_decisions', table => {
    table.bigIncrements('id').primary();
    table
      .string('rollout_id', 36)
      .notNullable()
      .references('id')
      .inTable('dm_rollouts')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.string('decision', 16).notNullable();
    table.integer('step').notNullable();
    table.integer('share').notNullable();
    table.text('message').notNullable();
    table.string('actor', 255);
    table.text('numbers_json');
    table.index(['rollout_id', 'id'], 'dm_rollout_decisions_idx');
  });

  // The gates compare versions over a window of finished migrations.
  await knex.schema.alterTable('dm_migrations', table => {
    table.index(
      ['agent_id', 'agent_version', 'updated_at'],
      'dm_migrations_agent_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(
      ['agent_id', 'agent_version', 'updated_at'],
      'dm_migrations_agent_idx',
    );
  });
  await knex.schema.dropTable('dm_rollout_decisions');
  await knex.schema.dropTable('dm_rollouts');
  await knex.schema.dropTable('dm_agent_stable');
};
