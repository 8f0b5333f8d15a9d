// @ts-check

/**
 * When an aborted rollout's follow-up (queued migrations planned again, running ones
 * rolled back) has finished. A crash between the abort and the end of its follow-up
 * leaves this empty, and the rollout loop of any instance finishes the work. Aborted
 * rollouts from before this column are left empty too: the follow-up is idempotent,
 * so one more pass changes nothing where it already ran.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_rollouts', table => {
    table.timestamp('abort_settled_at', { useTz: true, precision: 3 });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_rollouts', table => {
    table.dropColumn('abort_settled_at');
  });
};
