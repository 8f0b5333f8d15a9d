// @ts-check

/**
 * Campaigns (one fleet-wide migration over many datasets) and what the claim needs to
 * enforce concurrency caps across instances: each migration's campaign, its target
 * connection and when it started.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_campaigns', table => {
    table.string('id', 36).primary();
    table.string('name', 200).notNullable();
    table.string('status', 32).notNullable();
    table.text('status_reason');
    table.text('selector_json').notNullable();
    table.string('agent_id', 128).notNullable();
    table.string('mode', 32).notNullable();
    table.integer('max_running').notNullable();
    table.integer('starts_per_minute').notNullable();
    table.integer('budget_window').notNullable();
    table.double('budget_max_failure_rate').notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.index(['created_at', 'id'], 'dm_campaigns_created_idx');
  });

  await knex.schema.createTable('dm_campaign_datasets', table => {
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('dm_campaigns')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('owner_ref', 255);
    table.string('source_connection', 255);
    table.string('state', 32).notNullable();
    // Why it is blocked or skipped: the first finding code, and a sentence.
    table.string('reason_code', 64);
    table.text('reason');
    table.string('plan_hash', 128);
    // The agent version that made the plan: an aborted rollout re-plans its datasets.
    table.string('agent_version', 64);
    // The plan the campaign made (and an owner approved): started as is, never planned twice.
    table.text('plan_json', 'longtext');
    table.timestamp('planned_at', { useTz: true, precision: 3 });
    // An instance planning it since then (a lease: a crashed planner's is taken over).
    table.timestamp('planning_since', { useTz: true, precision: 3 });
    // The state its owners were last told about, so each change notifies once.
    table.string('notified_state', 32);
    table.string('migration_id', 36);
    table.string('approved_by', 255);
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    // When it stopped counting as remaining: the burndown is aggregated from this.
    table.timestamp('finished_at', { useTz: true, precision: 3 });
    table.primary(['campaign_id', 'entity_ref']);
    table.index(['campaign_id', 'state'], 'dm_campaign_datasets_state_idx');
    table.index(['campaign_id', 'owner_ref'], 'dm_campaign_datasets_owner_idx');
    table.index(
      ['campaign_id', 'finished_at'],
      'dm_campaign_datasets_done_idx',
    );
    table.index(['entity_ref'], 'dm_campaign_datasets_entity_idx');
    table.index(['migration_id'], 'dm_campaign_datasets_migration_idx');
  });

  await knex.schema.alterTable('dm_migrations', table => {
    table.string('campaign_id', 36);
    table.string('target_connection', 255);
    table.timestamp('started_at', { useTz: true, precision: 3 });
    table.index(['campaign_id', 'status'], 'dm_migrations_campaign_idx');
  });

  // Active migrations count against the caps: give them their target connection.
  const active = await knex('dm_migrations')
    .whereNotIn('status', ['completed', 'failed', 'cancelled', 'rolled_back'])
    .select('id', 'plan_json');
  for (const row of active) {
    const target = JSON.parse(row.plan_json)?.target?.connection ?? null;
    await knex('dm_migrations')
      .where({ id: row.id })
      .update({ target_connection: target });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(['campaign_id', 'status'], 'dm_migrations_campaign_idx');
    table.dropColumn('started_at');
    table.dropColumn('target_connection');
    table.dropColumn('campaign_id');
  });
  await knex.schema.dropTable('dm_campaign_datasets');
  await knex.schema.dropTable('dm_campaigns');
};
