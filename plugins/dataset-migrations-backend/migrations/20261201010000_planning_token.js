// @ts-check

/**
 * Which planner took a campaign's dataset: `takeForPlanning` marks a whole batch in one
 * update and reads back the rows carrying its token, on engines whose UPDATE cannot
 * return rows (MySQL/MariaDB).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_campaign_datasets', table => {
    table.string('planning_token', 36);
    table.index(['planning_token'], 'dm_campaign_datasets_planning_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_campaign_datasets', table => {
    table.dropIndex(['planning_token'], 'dm_campaign_datasets_planning_idx');
    table.dropColumn('planning_token');
  });
};
