import type {
  NewRolloutRequest,
  Rollout,
  RolloutDecision,
  RolloutVersionStats,
} from '@internal/backstage-plugin-dataset-migrations-common';

export type NewDecision = Omit<RolloutDecision, 'id' | 'at'>;

/** Rollouts, their decisions and the stable version of each agent. */
export interface RolloutStore {
  /** The stable version recorded for an agent, if any. */
  getStableVersion(agentId: string): Promise<string | undefined>;
  /**
   * Records the stable version: with `expected`, only if the recorded one is still
   * that (or none is recorded when `expected` is null). Returns whether it changed.
   */
  setStableVersion(
    agentId: string,
    version: string,
    expected?: string | null,
  ): Promise<boolean>;

  /**
   * Creates an active rollout and its `start` decision. Throws ConflictError when the
   * agent already has an active rollout.
   */
  createRollout(
    request: NewRolloutRequest,
    stableVersion: string,
    createdBy: string,
  ): Promise<Rollout>;
  getRollout(id: string): Promise<Rollout | undefined>;
  listRollouts(limit: number): Promise<Rollout[]>;
  /** The agent's active rollout, if any. */
  activeRolloutOf(agentId: string): Promise<Rollout | undefined>;
  /**
   * The agent's recorded stable version and its active rollout, in one read: what
   * every plan asks (`getStableVersion` and `activeRolloutOf` together).
   */
  stableAndActiveRollout(
    agentId: string,
  ): Promise<{ stable?: string; rollout?: Rollout }>;
  listActiveRollouts(): Promise<Rollout[]>;
  /** Aborted rollouts whose follow-up has not been marked finished (a crash cut it short). */
  listUnsettledAborts(): Promise<Rollout[]>;
  /** Marks an aborted rollout's follow-up finished. */
  markAbortSettled(id: string): Promise<void>;
  /**
   * Moves an active rollout at step `fromStep` to `toStep` (and `status`), with its
   * decision, in one transaction: of two instances judging the same step, one wins.
   */
  advance(
    id: string,
    fromStep: number,
    change: { step: number; status: Rollout['status'] },
    decision: NewDecision,
  ): Promise<boolean>;
  /** Appends a decision that changes nothing (a hold), at most once per step and message. */
  recordHold(id: string, decision: NewDecision): Promise<void>;
  listDecisions(id: string): Promise<RolloutDecision[]>;

  /** The gate numbers of one agent version over migrations updated since `since`. */
  versionStats(
    agentId: string,
    version: string,
    since: Date,
  ): Promise<RolloutVersionStats>;
  /** Ids of queued migrations planned by this agent version. */
  queuedMigrationsOf(agentId: string, version: string): Promise<string[]>;
  /** Ids of running migrations planned by this agent version. */
  runningMigrationsOf(agentId: string, version: string): Promise<string[]>;
}
