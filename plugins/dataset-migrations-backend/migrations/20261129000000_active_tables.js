// @ts-check
const crypto = require('node:crypto');

/**
 * One active migration per physical table instead of per catalog entity: two entities
 * whose location names the same table (or whose targets meet) used to run at once and
 * drop each other's change log and target. Each active migration holds one row per
 * table it touches, its source and its target, keyed by a hash of connection, schema and
 * table (lower-cased: engines that fold case would see one table under two spellings).
 *
 * The key is written out here rather than imported: a knex migration must keep meaning
 * what it meant when it ran. src/store/activeTables.ts spells the same key.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_active_tables', table => {
    table.string('table_key', 64).primary();
    table.string('table_ref', 1024).notNullable();
    table.string('migration_id', 36).notNullable();
    table.index(['migration_id'], 'dm_active_tables_migration_idx');
  });
  const active = await knex('dm_active_datasets')
    .join(
      'dm_migrations',
      'dm_migrations.id',
      'dm_active_datasets.migration_id',
    )
    .select('dm_migrations.id', 'dm_migrations.plan_json');
  for (const row of active) {
    const plan = JSON.parse(row.plan_json);
    const seen = new Set();
    for (const side of [plan.source, plan.target]) {
      const ref = `${side.connection}:${side.schema ? `${side.schema}.` : ''}${
        side.table
      }`;
      const key = crypto
        .createHash('sha256')
        .update(
          [side.connection, side.schema ?? '', side.table]
            .map(part => String(part).toLowerCase())
            .join('\u0000'),
        )
        .digest('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      await knex('dm_active_tables').insert({
        table_key: key,
        table_ref: ref,
        migration_id: row.id,
      });
    }
  }
  await knex.schema.dropTable('dm_active_datasets');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.createTable('dm_active_datasets', table => {
    table.string('entity_ref', 255).primary();
    table.string('migration_id', 36).notNullable();
  });
  const active = await knex('dm_migrations')
    .whereIn('id', knex('dm_active_tables').distinct('migration_id'))
    .select('id', 'entity_ref');
  for (const row of active) {
    await knex('dm_active_datasets')
      .insert({ entity_ref: row.entity_ref, migration_id: row.id })
      .onConflict('entity_ref')
      .ignore();
  }
  await knex.schema.dropTable('dm_active_tables');
};
