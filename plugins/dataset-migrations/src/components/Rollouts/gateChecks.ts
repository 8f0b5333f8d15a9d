import {
  rateGatePasses,
  ROLLOUT_RATE_GATES,
  Rollout,
  RolloutVersionStats,
  throughputGatePasses,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { formatRate, formatRowsPerSecond } from './rolloutNumbers';

/** How one gate reads now: `waiting` while the candidate has no result to judge. */
export type GateVerdict = 'pass' | 'fail' | 'waiting';

/** One row of the side-by-side table: both versions' number and the gate on it. */
export type GateCheck = {
  label: string;
  candidate: string;
  stable: string;
  gate: string;
  verdict: GateVerdict;
};

const passOrFail = (passes: boolean): GateVerdict => (passes ? 'pass' : 'fail');

/**
 * The gates as the backend's evaluator applies them at each tick (a rate may exceed
 * the stable one's by at most its margin, a missing stable rate counting as 0; copy
 * throughput must reach its share of the stable one's), read off the numbers shown,
 * so an admin sees which gate holds or would abort the step. The backend decides;
 * this only explains.
 */
export function gateChecks(
  rollout: Pick<Rollout, 'gates' | 'minPerStep'>,
  candidate: RolloutVersionStats,
  stable: RolloutVersionStats,
): GateCheck[] {
  const { gates } = rollout;
  const checks: GateCheck[] = [
    {
      label: 'Finished',
      candidate: candidate.finished.toLocaleString('en-US'),
      stable: stable.finished.toLocaleString('en-US'),
      gate: `at least ${rollout.minPerStep} candidate migrations per step`,
      verdict: candidate.finished >= rollout.minPerStep ? 'pass' : 'waiting',
    },
  ];
  for (const { name, rate, margin } of ROLLOUT_RATE_GATES) {
    const label = name.charAt(0).toUpperCase() + name.slice(1);
    const ours = candidate[rate];
    const theirs = stable[rate];
    checks.push({
      label,
      candidate: formatRate(ours),
      stable: formatRate(theirs),
      gate: `at most ${formatRate(gates[margin])} above stable`,
      verdict:
        ours === null
          ? 'waiting'
          : passOrFail(rateGatePasses(ours, theirs, gates[margin])),
    });
  }
  const ourRows = candidate.copyRowsPerSecond;
  const theirRows = stable.copyRowsPerSecond;
  checks.push({
    label: 'Copy throughput',
    candidate: formatRowsPerSecond(ourRows),
    stable: formatRowsPerSecond(theirRows),
    gate: `at least ${formatRate(gates.minThroughputShare)} of stable`,
    verdict:
      ourRows === null || theirRows === null
        ? 'waiting'
        : passOrFail(
            throughputGatePasses(ourRows, theirRows, gates.minThroughputShare),
          ),
  });
  return checks;
}
