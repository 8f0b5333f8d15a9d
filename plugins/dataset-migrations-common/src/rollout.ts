/** A rollout's status. @public */
export const ROLLOUT_STATUSES = ['active', 'promoted', 'aborted'] as const;

/** @public */
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/**
 * How much worse than the stable version a candidate may do before its rollout is
 * aborted. Rates are shares (0–1) compared over the same window of finished migrations.
 *
 * @public
 */
export type RolloutGates = {
  /** Candidate failure rate may exceed the stable one's by at most this much. */
  maxFailureRateMargin: number;
  /** Candidate rollback rate may exceed the stable one's by at most this much. */
  maxRollbackRateMargin: number;
  /** Share of candidate migrations whose verify found differences, above the stable share. */
  maxVerifyMismatchMargin: number;
  /** Candidate copy throughput (rows/s) must be at least this share of the stable one's. */
  minThroughputShare: number;
};

/** What happens to the candidate's running migrations when a rollout is aborted. @public */
export type RolloutAbortPolicy = 'finish' | 'rollback';

/** What an admin sends to start a rollout. @public */
export type NewRolloutRequest = {
  agentId: string;
  candidateVersion: string;
  /** Traffic shares in percent, rising, ending at 100, e.g. [5, 25, 50, 100]. */
  steps: number[];
  /** Finished candidate migrations needed before a step is judged. */
  minPerStep: number;
  /** Seconds a step runs at least before it is judged. */
  bakeSeconds: number;
  gates: RolloutGates;
  onAbort: RolloutAbortPolicy;
};

/** The numbers the gates compare, for one agent version over one window. @public */
export type RolloutVersionStats = {
  version: string;
  finished: number;
  failed: number;
  rolledBack: number;
  verifyMismatches: number;
  failureRate: number | null;
  rollbackRate: number | null;
  verifyMismatchRate: number | null;
  /** Rows copied per second of copy step, or null with no copy finished. */
  copyRowsPerSecond: number | null;
};

/** One decision of a rollout's timeline. @public */
export type RolloutDecision = {
  id: number;
  at: string;
  decision: 'start' | 'hold' | 'promote' | 'complete' | 'abort';
  step: number;
  share: number;
  message: string;
  actor: string | null;
  candidate: RolloutVersionStats | null;
  stable: RolloutVersionStats | null;
};

/** A rollout as the API returns it. @public */
export type Rollout = {
  id: string;
  agentId: string;
  candidateVersion: string;
  stableVersion: string;
  status: RolloutStatus;
  /** Index into `steps` of the step in force. */
  step: number;
  steps: number[];
  /** The share in force (0 once aborted). */
  share: number;
  minPerStep: number;
  bakeSeconds: number;
  gates: RolloutGates;
  onAbort: RolloutAbortPolicy;
  stepStartedAt: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

/** A rollout with its gate numbers now and its decision history. @public */
export type RolloutDetail = Rollout & {
  candidate: RolloutVersionStats;
  stable: RolloutVersionStats;
  decisions: RolloutDecision[];
};

/** An agent with its registered versions and the stable one. @public */
export type AgentVersions = {
  id: string;
  versions: string[];
  stableVersion: string;
};

/** The rates a rollout compares between versions, each with the margin that bounds it. @public */
export type RolloutRateGate = {
  /** How messages name it, e.g. `failure rate`. */
  name: string;
  rate: 'failureRate' | 'rollbackRate' | 'verifyMismatchRate';
  margin: keyof RolloutGates;
};

/**
 * The rate gates in the order they are judged: the backend's evaluator and the
 * rollout page both walk this list, so a new rate gate appears in both. @public
 */
export const ROLLOUT_RATE_GATES: readonly RolloutRateGate[] = [
  { name: 'failure rate', rate: 'failureRate', margin: 'maxFailureRateMargin' },
  {
    name: 'rollback rate',
    rate: 'rollbackRate',
    margin: 'maxRollbackRateMargin',
  },
  {
    name: 'verify mismatch rate',
    rate: 'verifyMismatchRate',
    margin: 'maxVerifyMismatchMargin',
  },
];

/**
 * A rate gate: the candidate's rate may exceed the stable one's by at most `margin`
 * (a stable version with no result counts as 0). The backend's gates and the rollout
 * page both read it from here. @public
 */
export function rateGatePasses(
  candidate: number | null,
  stable: number | null,
  margin: number,
): boolean {
  return (candidate ?? 0) - (stable ?? 0) <= margin;
}

/**
 * The throughput gate: the candidate copies at least `share` of the stable version's
 * rows per second; with either unknown there is nothing to judge, which passes. @public
 */
export function throughputGatePasses(
  candidate: number | null,
  stable: number | null,
  share: number,
): boolean {
  return candidate === null || stable === null || candidate >= share * stable;
}
