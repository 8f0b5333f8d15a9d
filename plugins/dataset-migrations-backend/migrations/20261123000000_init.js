// @ts-check

/**
 * The plugin's own state: migrations (one run of a plan for one dataset), their steps,
 * an append-only event log, and the workers of the fleet.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_migrations', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('status', 32).notNullable();
    table.string('connection', 255).notNullable();
    table.string('owner_ref', 255);
    table.string('agent_id', 128).notNullable();
    table.string('agent_version', 64).notNullable();
    table.string('plan_hash', 128).notNullable();
    table.text('plan_json', 'longtext').notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.text('error');
    // Newest-first listing with cursor paging, and the usual filters.
    table.index(['created_at', 'id'], 'dm_migrations_created_idx');
    table.index(['entity_ref', 'created_at'], 'dm_migrations_entity_idx');
    table.index(['status', 'created_at'], 'dm_migrations_status_idx');
    table.index(['owner_ref', 'created_at'], 'dm_migrations_owner_idx');
  });

  await knex.schema.createTable('dm_steps', table => {
    table.bigIncrements('id').primary();
    table
      .string('migration_id', 36)
      .notNullable()
      .references('id')
      .inTable('dm_migrations')
      .onDelete('CASCADE');
    table.string('name', 32).notNullable();
    table.integer('position').notNullable();
    table.string('status', 32).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('started_at', { useTz: true, precision: 3 });
    table.timestamp('finished_at', { useTz: true, precision: 3 });
    table.bigInteger('progress_done').notNullable().defaultTo(0);
    table.bigInteger('progress_total');
    table.string('progress_unit', 16);
    table.text('checkpoint');
    table.string('lease_owner', 128);
    table.timestamp('lease_expires_at', { useTz: true, precision: 3 });
    table.timestamp('run_after', { useTz: true, precision: 3 });
    table.text('error');
    table.unique(['migration_id', 'name'], {
      indexName: 'dm_steps_migration_name_uq',
    });
    table.index(['status', 'run_after'], 'dm_steps_runnable_idx');
  });

  await knex.schema.createTable('dm_events', table => {
    table.bigIncrements('id').primary();
    table
      .string('migration_id', 36)
      .notNullable()
      .references('id')
      .inTable('dm_migrations')
      .onDelete('CASCADE');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.string('type', 64).notNullable();
    table.string('step', 32);
    table.string('actor', 255);
    table.text('message').notNullable();
    table.text('data');
    table.index(['migration_id', 'id'], 'dm_events_migration_idx');
  });

  await knex.schema.createTable('dm_workers', table => {
    table.string('id', 128).primary();
    table.string('instance_id', 128).notNullable();
    table.timestamp('started_at', { useTz: true, precision: 3 }).notNullable();
    table
      .timestamp('heartbeat_at', { useTz: true, precision: 3 })
      .notNullable();
    table.bigInteger('current_step_id');
    table.text('agent_versions');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_workers');
  await knex.schema.dropTable('dm_events');
  await knex.schema.dropTable('dm_steps');
  await knex.schema.dropTable('dm_migrations');
};
