import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FINAL_MIGRATION_STATUSES,
  isActionAllowed,
  Migration,
  MIGRATION_ACTION_RULES,
  MigrationAction,
  MigrationEventType,
  MigrationStatus,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { dialectFor } from '../dialects';
import type { PlanService } from '../plan/PlanService';
import type { DatasetAccess } from '../permissions/DatasetAccess';
import {
  compatibilityWritesRefusal,
  compatibilityWritesSinceCutover,
} from './compatibilityWrites';
import type { MigrationRecord, MigrationStore } from '../store/MigrationStore';

/** Strips what only the executor needs from a stored migration. */
export function toApiMigration(record: MigrationRecord): Migration {
  const {
    plan: _plan,
    leaseOwner: _o,
    leaseExpiresAt: _e,
    runAfter: _r,
    ...migration
  } = record;
  return migration;
}

/**
 * The consumers whose code still reads a migration's old name, read at the moment of
 * asking (`where` says which files and lines, or why they could not be read).
 */
export type ConsumerGate = (
  record: MigrationRecord,
) => Promise<Array<{ entityRef: string; where: string }>>;

/**
 * Starts migrations and acts on them for a person: checks the permission on the
 * dataset, re-plans to confirm the approved hash, and records every action.
 */
export class MigrationService {
  constructor(
    private readonly options: {
      store: MigrationStore;
      plans: PlanService;
      catalog: CatalogService;
      access: DatasetAccess;
      connections: ConnectionRegistry;
      /** Wakes this instance's idle workers. */
      onQueued: () => void;
      /** Finalize refuses while it lists consumers (absent: nothing is checked). */
      consumerGate?: ConsumerGate;
    },
  ) {}

  /** A plan to review: it runs queries on the dataset's database, so it needs the migrate permission. */
  async previewPlan(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Plan> {
    await this.options.access.requirePlan(credentials, entityRef);
    return this.options.plans.createPlan(entityRef, credentials);
  }

  async start(
    entityRef: string,
    planHash: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Migration> {
    await this.options.access.requireMigrate(credentials, entityRef);
    // Checked before re-planning: mid-migration the source may already be a view.
    const [latest] = (
      await this.options.store.listMigrations({ entityRef, limit: 1 })
    ).items;
    if (latest && !FINAL_MIGRATION_STATUSES.includes(latest.status)) {
      throw new ConflictError(
        `${entityRef} already has an active migration (${latest.id}, ${latest.status}); wait for it to finish, or cancel it`,
      );
    }
    const plan = await this.options.plans.createPlan(entityRef, credentials);
    if (plan.hash !== planHash) {
      throw new ConflictError(
        `The plan for ${entityRef} changed since it was reviewed (approved ${planHash.slice(
          0,
          12,
        )}, now ${plan.hash.slice(
          0,
          12,
        )}); review the new plan and confirm again`,
      );
    }
    const blocking = plan.findings.filter(f => f.severity === 'blocking');
    if (blocking.length > 0) {
      throw new InputError(
        `The plan for ${entityRef} has blocking findings: ${blocking
          .map(f => f.message)
          .join(' ')}`,
      );
    }
    if (plan.preflight?.status !== 'passed') {
      throw new InputError(
        `The plan for ${entityRef} did not pass preflight: ${plan.preflight?.error}`,
      );
    }
    const entity = await this.options.catalog.getEntityByRef(plan.entityRef, {
      credentials,
    });
    const record = await this.options.store.createMigration({
      entityRef: plan.entityRef,
      connection: plan.source.connection,
      ownerRef: (entity?.spec?.owner as string | undefined) ?? null,
      plan,
      createdBy: credentials.principal.userEntityRef,
    });
    return toApiMigration(record);
  }

  /**
   * Wakes this instance's idle workers for a migration `start` queued. Apart from
   * `start` so the API answers first: no step's work can come before the answer.
   * (Without it, the workers find the migration at their next poll.)
   */
  wakeWorkers(): void {
    this.options.onQueued();
  }

  async get(id: string): Promise<MigrationRecord> {
    const record = await this.options.store.getMigration(id);
    if (!record) throw new NotFoundError(`No migration ${id}`);
    return record;
  }

  /**
   * Once cut over, writes through the compatibility view land in the new table, which
   * an undo drops: refuse the rollback rather than lose them. (Cutover's undo counts
   * again in its own transaction, for writes that arrive after this check.)
   */
  private async refuseLosingWrites(record: MigrationRecord): Promise<void> {
    const cutover = record.steps.find(s => s.name === 'cutover');
    if (!cutover || cutover.status === 'pending') return;
    const { connections } = this.options;
    const target = record.plan.target.connection;
    const writes = await compatibilityWritesSinceCutover(record.plan, {
      knex: connections.get(target),
      dialect: dialectFor(connections.config(target).client),
    });
    if (writes > 0) {
      throw new ConflictError(
        `Cannot roll back migration ${record.id}: ${compatibilityWritesRefusal(
          record.plan,
          writes,
        )}`,
      );
    }
  }

  /**
   * Starts cleanup (compare-and-set from the statuses finalize is allowed in), for a
   * person's action or a campaign's bulk finalize. Returns whether it happened.
   */
  async requestFinalize(
    id: string,
    actor: string,
    overridden: Array<{ entityRef: string; where: string }> = [],
  ): Promise<boolean> {
    const changed = await this.options.store.setStatus(id, 'cleaning_up', {
      expected: MIGRATION_ACTION_RULES.finalize.from,
      runAfter: new Date(),
      error: null,
      // After cleanup_failed, the fixed cause gets a full set of attempts again.
      resetSteps: ['cleanup'],
      event: {
        type: 'finalize.requested',
        actor,
        message:
          overridden.length > 0
            ? `finalize requested by ${actor}, overriding ${
                overridden.length
              } consumer(s) still on the old name: ${overridden
                .map(c => c.entityRef)
                .join(', ')}`
            : `finalize requested by ${actor}`,
        ...(overridden.length > 0
          ? { data: { overriddenConsumers: overridden } }
          : {}),
      },
    });
    if (changed) this.options.onQueued();
    return changed;
  }

  /** The consumers still on the old name of a migration's dataset (none without a gate). */
  async consumersOnOldName(
    id: string,
  ): Promise<Array<{ entityRef: string; where: string }>> {
    const gate = this.options.consumerGate;
    return gate ? gate(await this.get(id)) : [];
  }

  /**
   * Finalize behind the consumer gate: refused while consumers' code still reads the
   * old name, which cleanup is about to drop, unless the person overrides it; the
   * overridden consumers are returned (and recorded in the migration's history).
   */
  async finalize(
    id: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    options: { overrideConsumers?: boolean } = {},
  ): Promise<{
    migration: Migration;
    overriddenConsumers: Array<{ entityRef: string; where: string }>;
  }> {
    const record = await this.get(id);
    await this.options.access.requireMigrate(credentials, record.entityRef);
    const gate = this.options.consumerGate;
    const onOldName =
      gate && isActionAllowed('finalize', record.status)
        ? await gate(record)
        : [];
    if (onOldName.length > 0 && !options.overrideConsumers) {
      throw new ConflictError(
        `Cannot finalize migration ${id} of ${record.entityRef}: ${
          onOldName.length
        } consumer(s) still read the old name, which cleanup drops: ${onOldName
          .map(c => `${c.entityRef} (${c.where})`)
          .join(
            '; ',
          )}. Repoint them (each has a patch or a pull request under Consumers), or finalize with overrideConsumers: true to drop the old name anyway`,
      );
    }
    const overriddenConsumers = options.overrideConsumers ? onOldName : [];
    const migration = await this.apply(id, 'finalize', credentials, {
      overriddenConsumers,
    });
    return { migration, overriddenConsumers };
  }

  /** A person's action; finalize goes through the consumer gate (no override). */
  async act(
    id: string,
    action: MigrationAction,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Migration> {
    if (action === 'finalize') {
      return (await this.finalize(id, credentials)).migration;
    }
    return this.apply(id, action, credentials);
  }

  private async apply(
    id: string,
    action: MigrationAction,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    finalizeOptions: {
      overriddenConsumers?: Array<{ entityRef: string; where: string }>;
    } = {},
  ): Promise<Migration> {
    const { store } = this.options;
    const record = await this.get(id);
    await this.options.access.requireMigrate(credentials, record.entityRef);
    const actor = credentials.principal.userEntityRef;
    const refuse = (status: MigrationStatus) =>
      new ConflictError(
        `Cannot ${action} migration ${id} of ${
          record.entityRef
        }: it is ${status}${
          action === 'rollback' &&
          (status === 'cleaning_up' || status === 'cleanup_failed')
            ? ' (cleanup has begun to drop the compatibility layer and the backup, so an undo could leave the dataset nowhere)'
            : ''
        }; ${
          MIGRATION_ACTION_RULES[action].instead?.[status] ??
          `you can ${MIGRATION_ACTION_RULES[action].describe}`
        }`,
      );
    if (!isActionAllowed(action, record.status)) throw refuse(record.status);
    if (action === 'rollback') await this.refuseLosingWrites(record);

    // Each action is one compare-and-set on the stored status, its event written in
    // the same transaction: an action that races the executor or another person
    // either takes effect or is refused, never half of each.
    const requested = (type: MigrationEventType) => ({
      type,
      actor,
      message: `${action} requested by ${actor}`,
    });
    let changed: boolean;
    switch (action) {
      case 'cancel':
        changed =
          (await store.setStatus(id, 'cancelled', {
            expected: ['queued'],
            event: requested('cancel.requested'),
          })) ||
          (await store.setStatus(id, 'rolling_back', {
            expected: ['running'],
            runAfter: null,
            event: requested('cancel.requested'),
          }));
        break;
      case 'rollback':
        changed = await store.setStatus(id, 'rolling_back', {
          expected: MIGRATION_ACTION_RULES.rollback.from,
          runAfter: null,
          event: requested('rollback.requested'),
        });
        break;
      case 'finalize':
        changed = await this.requestFinalize(
          id,
          actor,
          finalizeOptions.overriddenConsumers,
        );
        break;
      default:
        changed = await store.requeue(id, requested('retry.requested'));
    }
    if (!changed) {
      throw refuse((await store.getState(id))?.status ?? record.status);
    }
    await store.appendEvent(id, {
      type: `action.${action}`,
      actor,
      message: `${action} by ${actor}`,
    });
    this.options.onQueued();
    return toApiMigration((await store.getMigration(id))!);
  }
}
