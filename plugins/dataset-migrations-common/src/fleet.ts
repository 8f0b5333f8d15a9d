import type { CampaignCapLoad } from './campaign';
import type { FleetWorker } from './migration';

/**
 * What a worker does now. `restarting`: its loop crashed (an error outside any step)
 * and waits out a backoff before it starts again. `lost`: its instance stopped
 * heartbeating. @public
 */
export type FleetWorkerState = 'idle' | 'running' | 'restarting' | 'lost';

/** A worker with its health, as the fleet page shows it. @public */
export type FleetWorkerHealth = FleetWorker & {
  state: FleetWorkerState;
  /** Milliseconds since its last heartbeat, measured by the backend that answered. */
  heartbeatAgeMs: number;
  /** The dataset of the migration it runs, or null when idle. */
  currentEntityRef: string | null;
  /** Rows copied per second by its current step, over its last heartbeats; null when not copying. */
  rowsPerSecond: number | null;
  /** How often its instance restarted its crashed loop. */
  restarts: number;
  lastRestartAt: string | null;
  /** Why its loop last crashed. */
  lastError: string | null;
};

/** `lost`: it stopped heartbeating; its leases are freed and its work resumes elsewhere. @public */
export type FleetInstanceStatus = 'alive' | 'lost';

/** One backend instance of the fleet with its workers. @public */
export type FleetInstance = {
  id: string;
  host: string;
  pid: number;
  status: FleetInstanceStatus;
  startedAt: string;
  heartbeatAt: string;
  heartbeatAgeMs: number;
  /** When a surviving instance found it silent; null while alive. */
  lostAt: string | null;
  workerSlots: number;
  /** The agent versions it offers, `id@version`. */
  agentVersions: string[];
  /** Migrations its workers hold a lease on: 0 once a lost instance's were reclaimed. */
  leasesHeld: number;
  workers: FleetWorkerHealth[];
};

/** The fleet page's data: instances, the load on every cap, the queue. @public */
export type FleetOverview = {
  instances: FleetInstance[];
  /** Each cap in force (`source-connection:<name>`, `target-connection:<name>`, `owner:<ref>`, `campaign:<id>`) with its load. */
  caps: CampaignCapLoad[];
  /** Queued migrations not yet started. */
  queueLength: number;
  /** A heartbeat older than this marks an instance or worker lost. */
  lostAfterMs: number;
};
