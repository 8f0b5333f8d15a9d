import type {
  FleetWorker,
  MigrationEvent,
  MigrationStep,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { MigrationRecord } from './MigrationStore';

/** SQLite hands back numbers or strings for timestamps, the others Date objects. */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date =
    value instanceof Date
      ? value
      : new Date(
          typeof value === 'string' && /^\d+$/.test(value)
            ? Number(value)
            : (value as string | number),
        );
  return date.toISOString();
}

const parse = (text: unknown) =>
  text === null || text === undefined ? null : JSON.parse(String(text));

export type MigrationRow = Record<string, any>;
export type StepRow = Record<string, any>;

export function toStep(row: StepRow): MigrationStep {
  return {
    name: row.name,
    status: row.status,
    attempts: Number(row.attempts),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    progress: {
      done: Number(row.progress_done ?? 0),
      total:
        row.progress_total === null || row.progress_total === undefined
          ? null
          : Number(row.progress_total),
      unit: row.progress_unit ?? null,
    },
    error: row.error ?? null,
  };
}

export function toRecord(row: MigrationRow, steps: StepRow[]): MigrationRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    status: row.status,
    connection: row.connection,
    ownerRef: row.owner_ref ?? null,
    campaignId: row.campaign_id ?? null,
    agent: { id: row.agent_id, version: row.agent_version },
    planHash: row.plan_hash,
    source: row.source_ref ?? '',
    target: row.target_ref ?? '',
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    error: row.error ?? null,
    steps: [...steps]
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map(toStep),
    plan: parse(row.plan_json) as Plan,
    leaseOwner: row.lease_owner ?? null,
    leaseExpiresAt: iso(row.lease_expires_at),
    runAfter: iso(row.run_after),
  };
}

export function toEvent(row: Record<string, any>): MigrationEvent {
  return {
    id: Number(row.id),
    migrationId: row.migration_id,
    createdAt: iso(row.created_at)!,
    type: row.type,
    step: row.step ?? null,
    actor: row.actor ?? null,
    message: row.message,
    data: parse(row.data),
  };
}

export function toWorker(row: Record<string, any>): FleetWorker {
  return {
    id: row.id,
    instanceId: row.instance_id,
    startedAt: iso(row.started_at)!,
    heartbeatAt: iso(row.heartbeat_at)!,
    currentStep: parse(row.current_step),
    agentVersions: parse(row.agent_versions) ?? [],
  };
}
