// @ts-check

/**
 * Where each migration moves its dataset, as columns: `source_ref` and `target_ref`
 * (`warehouse:public.page_views`, as people read it), so that a history page shows a
 * completed migration's new home and the dataset's new home is found without reading
 * every plan. Filled from the stored plans of existing migrations.
 *
 * The format is written out here rather than imported: a knex migration must keep
 * meaning what it meant when it ran. src/store/activeTables.ts spells the same format.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.string('source_ref', 1024).nullable();
    table.string('target_ref', 1024).nullable();
  });
  /** @param {{ connection: string, schema?: string, table: string }} side */
  const ref = side =>
    `${side.connection}:${side.schema ? `${side.schema}.` : ''}${side.table}`;
  const rows = await knex('dm_migrations').select('id', 'plan_json');
  for (const row of rows) {
    const plan = JSON.parse(row.plan_json);
    await knex('dm_migrations')
      .where({ id: row.id })
      .update({ source_ref: ref(plan.source), target_ref: ref(plan.target) });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_migrations', table => {
    table.dropColumn('target_ref');
    table.dropColumn('source_ref');
  });
};
