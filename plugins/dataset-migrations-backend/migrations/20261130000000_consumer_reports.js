// @ts-check

/**
 * What the consumer agent found for each consumer of a migrated dataset: one report per
 * migration and consumer (its files, statements, diffs, parity evidence and status),
 * replaced by each check, kept with the migration.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_consumer_reports', table => {
    table
      .string('migration_id', 36)
      .notNullable()
      .references('id')
      .inTable('dm_migrations')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('status', 16).notNullable();
    table.text('report_json', 'longtext').notNullable();
    table.timestamp('checked_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['migration_id', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_consumer_reports');
};
