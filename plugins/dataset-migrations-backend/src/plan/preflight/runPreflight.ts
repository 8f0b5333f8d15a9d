import type {
  Plan,
  PlanArtifacts,
  PreflightResult,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows, firstRow } from '../../dialects/rawRows';
import { safeErrorMessage } from '../../errors/safeErrorMessage';
import { nextRangeEnd, pipeCopy, rangeCopyOut } from '../../copy/pgCopyPipe';
import { createRowWriter } from '../../copy/rowWriter';
import type { Dialect, TableName } from '../../dialects/Dialect';
import {
  foreignTableName,
  POSTGRES_FDW_CONFIG_KEY,
} from '../../dialects/postgresFdw';
import { scratchTableName, scratchViewName } from '../../dialects/names';
import { compareValidation, readValidationRow } from '../sql/validationQuery';

export const PREFLIGHT_SAMPLE_ROWS = 1000;

type Side = { knex: Knex; dialect: Dialect };

export type PreflightOptions = {
  plan: Omit<Plan, 'preflight' | 'createdAt'>;
  source: Side;
  target: Side;
  /** Source and target share one knex pool (SQLite's single connection included). */
  isSameConnection: boolean;
  sampleRows?: number;
};

/** A failed artifact; its message is safe for the plan (no row values, no secrets). */
class PreflightFailure extends Error {
  constructor(readonly artifact: keyof PlanArtifacts, cause: unknown) {
    super(safeErrorMessage(cause));
  }
}

/** Thrown to roll back the preflight transaction once everything has been proved. */
class Proved extends Error {}

/**
 * Proves a plan on the real databases before it is offered: runs the target DDL where
 * it can be undone (inside a rolled-back transaction on engines with transactional DDL,
 * under scratch names otherwise), copies a sample through the generated mapping, builds
 * the indexes the plan leaves until after the copy, compares the generated validation queries on both sides, creates the compatibility
 * view over the sample and reads it, and runs the rollback SQL. Nothing stays behind.
 */
export async function runPreflight(
  options: PreflightOptions,
): Promise<PreflightResult> {
  const { plan, source, target } = options;
  const sampleRows = options.sampleRows ?? PREFLIGHT_SAMPLE_ROWS;
  const started = Date.now();
  const sd = source.dialect;
  const td = target.dialect;
  const realTarget: TableName = {
    schema: plan.target.schema,
    table: plan.target.table,
  };
  const realSource: TableName = {
    schema: plan.source.schema,
    table: plan.source.table,
  };
  const qSource = sd.qualify(realSource);
  const orderColumns = plan.copyKey.length
    ? plan.copyKey
    : plan.source.columns.map(c => c.name);
  const orderBy = `ORDER BY ${orderColumns.map(c => sd.quote(c)).join(', ')}`;
  const sampleFrom = `(SELECT * FROM ${qSource} ${orderBy} ${sd.limit(
    sampleRows,
  )}) ${sd.quote('dm_sample')}`;
  let copied = 0;

  const prove = async (
    tk: Knex,
    sk: Knex,
    scratch: TableName,
    view: TableName,
  ) => {
    const retarget = (sql: string) =>
      sql.split(td.qualify(realTarget)).join(td.qualify(scratch));
    const step = async (
      artifact: keyof PlanArtifacts,
      work: () => Promise<void>,
    ) => {
      try {
        await work();
      } catch (e) {
        throw new PreflightFailure(artifact, e);
      }
    };

    await step('targetDdl', async () => {
      for (const sql of plan.artifacts.targetDdl) await tk.raw(retarget(sql));
    });

    await step('copy', async () => {
      const copy = plan.artifacts.copy;
      if (plan.copyStrategy === 'push-down') {
        const ordered = plan.copyKey.length ? copy : `${copy}\n${orderBy}`;
        await tk.raw(`${retarget(ordered)}\n${sd.limit(sampleRows)}`);
      } else if (plan.copyStrategy === 'copy-pipe') {
        // The executor's own pipe over the first range of `sampleRows` keys.
        const from = { knex: sk, dialect: sd, table: realSource };
        const upTo = await nextRangeEnd(from, plan, null, sampleRows);
        await pipeCopy(
          sk,
          tk as Knex.Transaction,
          rangeCopyOut(from, plan, null, upTo),
          retarget(plan.artifacts.copyInto!),
        );
      } else {
        // The first-batch query, narrowed to the sample the validation reads.
        const query = plan.copyKey.length
          ? copy
          : `${copy}\n${orderBy}\n${sd.limit(sampleRows)}`;
        const rows = allRows(await sk.raw(query)).slice(0, sampleRows);
        const writer = createRowWriter(plan, td, td.engine);
        await writer.write(tk, scratch, writer.convert(rows));
      }
      const counted = firstRow(
        await tk.raw(
          `SELECT COUNT(*) AS ${td.quote('n')} FROM ${td.qualify(scratch)}`,
        ),
      );
      copied = Number(counted?.n ?? 0);
    });

    // Indexes the plan builds after the copy are proved over the copied sample too,
    // so a unique one that the copied rows would break fails here, not after the copy.
    await step('postCopyDdl', async () => {
      for (const sql of plan.artifacts.postCopyDdl ?? []) {
        await tk.raw(retarget(sql));
      }
    });

    await step('validation', async () => {
      const sourceSql = plan.artifacts.validation.source
        .split(`FROM ${qSource}`)
        .join(`FROM ${sampleFrom}`);
      const sourceResult = readValidationRow(
        firstRow(await sk.raw(sourceSql)) ?? {},
      );
      const targetResult = readValidationRow(
        firstRow(await tk.raw(retarget(plan.artifacts.validation.target))) ??
          {},
      );
      const differences = compareValidation(
        sourceResult,
        targetResult,
        plan.columns.map(c => ({
          name: c.target,
          type: td.toLogical(c.targetType),
        })),
      );
      if (differences.length > 0) {
        throw new Error(
          `the sample does not validate: ${differences.join('; ')}`,
        );
      }
    });

    if (plan.artifacts.compatibilityView.length > 0) {
      // A foreign view reads the new table through a foreign table with its columns;
      // here it reads the (scratch) new table directly, which proves its expressions.
      const foreign = sd.qualify({
        schema: realSource.schema,
        table: foreignTableName(realSource.table),
      });
      const overScratch = (sql: string) =>
        plan.compatibility === 'foreign-view'
          ? sql.split(foreign).join(td.qualify(scratch))
          : retarget(sql);
      await step('compatibilityView', async () => {
        for (const sql of plan.artifacts.compatibilityView) {
          await tk.raw(
            overScratch(sql)
              .split(sd.qualify(realSource))
              .join(td.qualify(view)),
          );
        }
        const rows = allRows(
          await tk.raw(`SELECT * FROM ${td.qualify(view)} ${td.limit(1)}`),
        );
        const expected = plan.source.columns.map(c => c.name);
        if (
          rows.length > 0 &&
          Object.keys(rows[0]).join(',') !== expected.join(',')
        ) {
          throw new Error(
            `the view presents columns ${Object.keys(rows[0]).join(
              ', ',
            )} instead of ${expected.join(', ')}`,
          );
        }
        await tk.raw(td.dropViewIfExists(view));
      });
    }

    if (plan.compatibility === 'foreign-view') {
      await step('cutover', async () => {
        const available = firstRow(
          await sk.raw(
            `SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'postgres_fdw'`,
          ),
        );
        if (!available) {
          throw new Error(
            `the PostgreSQL server of connection ${plan.source.connection} does not have the postgres_fdw extension the compatibility view needs; install PostgreSQL's contrib package there, or remove the pair from ${POSTGRES_FDW_CONFIG_KEY}`,
          );
        }
      });
    }

    await step('rollback', async () => {
      for (const sql of plan.artifacts.rollback) await tk.raw(retarget(sql));
    });
  };

  try {
    if (td.isTransactionalDdl) {
      const view = {
        schema: realTarget.schema,
        table: scratchViewName(realTarget.table, plan.hash),
      };
      await target.knex
        .transaction(async trx => {
          await prove(
            trx,
            options.isSameConnection ? trx : source.knex,
            realTarget,
            view,
          );
          throw new Proved();
        })
        .catch(e => {
          if (!(e instanceof Proved)) throw e;
        });
    } else {
      const scratch = {
        schema: realTarget.schema,
        table: scratchTableName(realTarget.table, plan.hash),
      };
      const view = {
        schema: realTarget.schema,
        table: scratchViewName(realTarget.table, plan.hash),
      };
      try {
        await prove(target.knex, source.knex, scratch, view);
      } finally {
        await target.knex.raw(td.dropViewIfExists(view)).catch(() => undefined);
        await target.knex
          .raw(td.dropTableIfExists(scratch))
          .catch(() => undefined);
      }
    }
    return {
      status: 'passed',
      sampleRows: copied,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    const failure =
      e instanceof PreflightFailure ? e : new PreflightFailure('targetDdl', e);
    return {
      status: 'failed',
      sampleRows: copied,
      failedArtifact: failure.artifact,
      error: `The generated ${failure.artifact} SQL failed: ${failure.message}`,
      durationMs: Date.now() - started,
    };
  }
}
