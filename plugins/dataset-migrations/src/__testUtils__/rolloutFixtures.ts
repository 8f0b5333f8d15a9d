import type {
  AgentVersions,
  Rollout,
  RolloutDecision,
  RolloutDetail,
  RolloutsApi,
  RolloutVersionStats,
} from '@internal/backstage-plugin-dataset-migrations-common';

export const ROLLOUT_ID = '33333333-3333-4333-8333-333333333333';

export const agents = (): AgentVersions[] => [
  {
    id: 'sql',
    versions: ['1.3.0', '1.4.0', '1.5.0-beta'],
    stableVersion: '1.3.0',
  },
  { id: 'consumer', versions: ['0.1.0'], stableVersion: '0.1.0' },
];

export function rollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    id: ROLLOUT_ID,
    agentId: 'sql',
    candidateVersion: '1.4.0',
    stableVersion: '1.3.0',
    status: 'active',
    step: 1,
    steps: [5, 25, 50, 100],
    share: 25,
    minPerStep: 10,
    bakeSeconds: 600,
    gates: {
      maxFailureRateMargin: 0.05,
      maxRollbackRateMargin: 0.05,
      maxVerifyMismatchMargin: 0,
      minThroughputShare: 0.8,
    },
    onAbort: 'finish',
    stepStartedAt: '2026-11-23T10:00:00.000Z',
    createdBy: 'user:default/admin',
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

export function stats(
  overrides: Partial<RolloutVersionStats> = {},
): RolloutVersionStats {
  return {
    version: '1.3.0',
    finished: 40,
    failed: 2,
    rolledBack: 0,
    verifyMismatches: 0,
    failureRate: 0.05,
    rollbackRate: 0,
    verifyMismatchRate: 0,
    copyRowsPerSecond: 1000,
    ...overrides,
  };
}

export function decision(
  overrides: Partial<RolloutDecision> = {},
): RolloutDecision {
  return {
    id: 1,
    at: '2026-11-23T09:00:00.000Z',
    decision: 'start',
    step: 0,
    share: 5,
    message: 'Started by user:default/admin at 5 %',
    actor: 'user:default/admin',
    candidate: null,
    stable: null,
    ...overrides,
  };
}

/**
 * An active rollout at 25 % whose candidate fails more than the margin allows (so
 * one gate reads fail) and copies faster than stable, with three decisions.
 */
export function rolloutDetail(
  overrides: Partial<RolloutDetail> = {},
): RolloutDetail {
  return {
    ...rollout(overrides),
    candidate: stats({
      version: '1.4.0',
      finished: 12,
      failed: 2,
      failureRate: 2 / 12,
      copyRowsPerSecond: 1500,
    }),
    stable: stats(),
    decisions: [
      decision(),
      decision({
        id: 2,
        at: '2026-11-23T10:00:00.000Z',
        decision: 'promote',
        message: 'Gates passed at 5 %: promoted to 25 %',
        actor: null,
        candidate: stats({
          version: '1.4.0',
          finished: 10,
          failed: 0,
          failureRate: 0,
        }),
        stable: stats(),
      }),
      decision({
        id: 3,
        at: '2026-11-23T10:05:00.000Z',
        decision: 'hold',
        step: 1,
        share: 25,
        message:
          'Too few results: 4 of 10 finished candidate migrations at 25 %',
        actor: null,
      }),
    ],
    ...overrides,
  };
}

/** A rollouts API whose every method fails unless the test provides it. */
export function rolloutsApiWith(partial: Partial<RolloutsApi>): RolloutsApi {
  const missing = (name: string) => () =>
    Promise.reject(new Error(`${name} not expected in this test`));
  return {
    listAgents: missing('listAgents'),
    listRollouts: missing('listRollouts'),
    createRollout: missing('createRollout'),
    getRollout: missing('getRollout'),
    abortRollout: missing('abortRollout'),
    ...partial,
  };
}
