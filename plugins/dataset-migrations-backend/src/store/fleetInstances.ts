import type {
  FleetInstance,
  FleetWorkerHealth,
  FleetWorkerState,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { InstanceHeartbeat } from './MigrationStore';
import { iso, toWorker } from './rows';

const I = 'dm_instances';
const W = 'dm_workers';
const M = 'dm_migrations';

const time = (value: unknown) => Date.parse(iso(value)!);

export async function heartbeatInstance(
  db: Knex,
  instance: InstanceHeartbeat,
): Promise<void> {
  const now = new Date();
  await db(I)
    .insert({
      id: instance.id,
      host: instance.host,
      pid: instance.pid,
      worker_slots: instance.workerSlots,
      agent_versions: JSON.stringify(instance.agentVersions),
      started_at: now,
      heartbeat_at: now,
      lost_at: null,
    })
    .onConflict('id')
    .merge(['worker_slots', 'agent_versions', 'heartbeat_at', 'lost_at']);
}

/**
 * Every instance may sweep at once: the guarded update marks each lost instance once,
 * so only one instance reports it.
 */
export async function markLostInstances(
  db: Knex,
  staleBefore: Date,
  forgetBefore: Date,
): Promise<string[]> {
  const now = new Date();
  const silent: Array<{ id: string }> = await db(I)
    .whereNull('lost_at')
    .andWhere('heartbeat_at', '<', staleBefore)
    .select('id');
  const marked: string[] = [];
  for (const { id } of silent) {
    const changed = await db(I)
      .where({ id })
      .whereNull('lost_at')
      .andWhere('heartbeat_at', '<', staleBefore)
      .update({ lost_at: now });
    if (changed === 1) marked.push(id);
  }
  await db.transaction(async trx => {
    const forgotten = trx(I).where('lost_at', '<', forgetBefore).select('id');
    await trx(W).whereIn('instance_id', forgotten).delete();
    await trx(I).where('lost_at', '<', forgetBefore).delete();
    // Workers of instances from before instances registered, long silent.
    await trx(W).where('heartbeat_at', '<', forgetBefore).delete();
  });
  return marked;
}

/** A worker waiting out its restart backoff heartbeats no more than its instance does. */
function workerState(
  row: Record<string, any>,
  isInstanceLost: boolean,
  isSilent: boolean,
): FleetWorkerState {
  if (isInstanceLost) return 'lost';
  if (row.state === 'restarting') return 'restarting';
  return isSilent ? 'lost' : (row.state as FleetWorkerState) ?? 'idle';
}

/**
 * The instances with their workers, the dataset each busy worker migrates and the
 * leases each instance holds: four small reads, none over finished migrations.
 */
export async function listInstances(
  db: Knex,
  lostBefore: Date,
): Promise<FleetInstance[]> {
  const now = Date.now();
  const instanceRows = await db(I).orderBy('id');
  const workerRows = await db(W).orderBy('id');
  const leaseRows: Array<{ lease_owner: string; n: number | string }> =
    (await db(M)
      .whereNotNull('lease_owner')
      .select('lease_owner')
      .count({ n: '*' })
      .groupBy('lease_owner')) as any;
  const workers = workerRows.map(row => ({ row, worker: toWorker(row) }));
  const migrationIds = [
    ...new Set(
      workers.flatMap(w =>
        w.worker.currentStep ? [w.worker.currentStep.migrationId] : [],
      ),
    ),
  ];
  const entityRefs = new Map<string, string>(
    migrationIds.length === 0
      ? []
      : (
          await db(M).whereIn('id', migrationIds).select('id', 'entity_ref')
        ).map(r => [r.id, r.entity_ref]),
  );
  const leases = new Map(leaseRows.map(r => [r.lease_owner, Number(r.n)]));

  return instanceRows.map(row => {
    const heartbeatAt = time(row.heartbeat_at);
    const isLost = row.lost_at !== null || heartbeatAt < lostBefore.getTime();
    const own = workers.filter(w => w.worker.instanceId === row.id);
    return {
      id: row.id,
      host: row.host,
      pid: Number(row.pid),
      status: isLost ? 'lost' : 'alive',
      startedAt: iso(row.started_at)!,
      heartbeatAt: iso(row.heartbeat_at)!,
      heartbeatAgeMs: Math.max(0, now - heartbeatAt),
      lostAt: iso(row.lost_at),
      workerSlots: Number(row.worker_slots),
      agentVersions: row.agent_versions ? JSON.parse(row.agent_versions) : [],
      leasesHeld: own.reduce((n, w) => n + (leases.get(w.worker.id) ?? 0), 0),
      workers: own.map(({ row: w, worker }): FleetWorkerHealth => {
        const workerHeartbeat = time(w.heartbeat_at);
        const state = workerState(
          w,
          isLost,
          workerHeartbeat < lostBefore.getTime(),
        );
        return {
          ...worker,
          state,
          heartbeatAgeMs: Math.max(0, now - workerHeartbeat),
          currentEntityRef: worker.currentStep
            ? entityRefs.get(worker.currentStep.migrationId) ?? null
            : null,
          rowsPerSecond:
            state === 'running' && w.rows_per_second !== null
              ? Number(w.rows_per_second)
              : null,
          restarts: Number(w.restarts ?? 0),
          lastRestartAt: iso(w.last_restart_at),
          lastError: w.last_error ?? null,
        };
      }),
    };
  });
}
