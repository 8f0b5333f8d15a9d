// @ts-check

/**
 * GET /migrations orders by status, dataset or who started it, ties broken by id:
 * one index on (column, id) each, so a page is a range scan in that order rather
 * than a sort of the whole history. The default order (created_at, id) keeps
 * dm_migrations_created_idx.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.index(['status', 'id'], 'dm_migrations_status_order_idx');
    table.index(['entity_ref', 'id'], 'dm_migrations_entity_order_idx');
    table.index(['created_by', 'id'], 'dm_migrations_created_by_order_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropIndex(['status', 'id'], 'dm_migrations_status_order_idx');
    table.dropIndex(['entity_ref', 'id'], 'dm_migrations_entity_order_idx');
    table.dropIndex(['created_by', 'id'], 'dm_migrations_created_by_order_idx');
  });
};
