// @ts-check

/**
 * GET /migrations orders by status, dataset or who started it, ties broken by id:
 * one index on (column, id) each, so a page is a range scan in that order rather
 * than a sort of the whole history. The default order (created_at, id) keeps
 * dm_migrations_created_idx. A campaign's datasets by state are one range of
 * (campaign_id, state, entity_ref); by owner they sort coalesce(owner_ref, ''), which
 * no plain index serves, over one campaign's rows only.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.index(['status', 'id'], 'dm_migrations_status_order_idx');
    table.index(['entity_ref', 'id'], 'dm_migrations_entity_order_idx');
    table.index(['created_by', 'id'], 'dm_migrations_created_by_order_idx');
  });
  await knex.schema.alterTable('dm_campaign_datasets', table => {
    table.index(
      ['campaign_id', 'state', 'entity_ref'],
      'dm_campaign_datasets_state_order_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_campaign_datasets', table => {
    table.dropIndex(
      ['campaign_id', 'state', 'entity_ref'],
      'dm_campaign_datasets_state_order_idx',
    );
  });
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(['status', 'id'], 'dm_migrations_status_order_idx');
    table.dropIndex(['entity_ref', 'id'], 'dm_migrations_entity_order_idx');
    table.dropIndex(['created_by', 'id'], 'dm_migrations_created_by_order_idx');
  });
};
