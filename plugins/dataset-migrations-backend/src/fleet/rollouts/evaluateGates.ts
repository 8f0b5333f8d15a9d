import {
  rateGatePasses,
  ROLLOUT_RATE_GATES,
  Rollout,
  RolloutVersionStats,
  throughputGatePasses,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** What the gates conclude about a rollout's step. */
export type GateVerdict = {
  decision: 'hold' | 'promote' | 'complete' | 'abort';
  message: string;
};

const pct = (share: number | null) =>
  share === null ? 'n/a' : `${(share * 100).toFixed(1)} %`;

/**
 * Judges the step in force from the finished migrations of both versions over the
 * same window: hold while the candidate has too few results or the bake time runs;
 * abort when a rate exceeds the stable one's by more than its margin or the copy
 * throughput falls below its share of the stable one's; otherwise promote (or, at the
 * last step, complete: the candidate becomes stable).
 */
export function evaluateGates(
  rollout: Rollout,
  candidate: RolloutVersionStats,
  stable: RolloutVersionStats,
  now: Date,
): GateVerdict {
  const { gates } = rollout;
  if (candidate.finished < rollout.minPerStep) {
    return {
      decision: 'hold',
      message: `Too few results: ${candidate.finished} of ${rollout.minPerStep} finished candidate migrations at ${rollout.share} %`,
    };
  }
  for (const { name: what, rate, margin: marginKey } of ROLLOUT_RATE_GATES) {
    const ours = candidate[rate];
    const theirs = stable[rate];
    const margin = gates[marginKey];
    if (!rateGatePasses(ours, theirs, margin)) {
      return {
        decision: 'abort',
        message: `Candidate ${what} ${pct(ours)} exceeds stable ${pct(
          theirs,
        )} by more than ${pct(margin)} (${candidate.finished} candidate and ${
          stable.finished
        } stable migrations finished)`,
      };
    }
  }
  if (
    !throughputGatePasses(
      candidate.copyRowsPerSecond,
      stable.copyRowsPerSecond,
      gates.minThroughputShare,
    )
  ) {
    return {
      decision: 'abort',
      message: `Candidate copies ${Math.round(
        candidate.copyRowsPerSecond ?? 0,
      )} rows/s, below ${pct(gates.minThroughputShare)} of stable ${Math.round(
        stable.copyRowsPerSecond ?? 0,
      )} rows/s`,
    };
  }
  const baked =
    (now.getTime() - new Date(rollout.stepStartedAt).getTime()) / 1000;
  if (baked < rollout.bakeSeconds) {
    return {
      decision: 'hold',
      message: `Baking: ${Math.floor(baked)} of ${rollout.bakeSeconds} s at ${
        rollout.share
      } %`,
    };
  }
  const summary = `failure ${pct(candidate.failureRate)} vs ${pct(
    stable.failureRate,
  )}, rollback ${pct(candidate.rollbackRate)} vs ${pct(
    stable.rollbackRate,
  )}, verify mismatches ${pct(candidate.verifyMismatchRate)} vs ${pct(
    stable.verifyMismatchRate,
  )} over ${candidate.finished} candidate migrations`;
  if (rollout.step === rollout.steps.length - 1) {
    return {
      decision: 'complete',
      message: `Gates passed at 100 % (${summary}): ${rollout.candidateVersion} is the new stable version`,
    };
  }
  return {
    decision: 'promote',
    message: `Gates passed at ${rollout.share} % (${summary}): promoted to ${
      rollout.steps[rollout.step + 1]
    } %`,
  };
}
