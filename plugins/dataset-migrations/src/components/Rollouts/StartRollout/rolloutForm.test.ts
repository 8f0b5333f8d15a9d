import { DEFAULT_ROLLOUT_FORM, toRolloutRequest } from './rolloutForm';

const form = {
  ...DEFAULT_ROLLOUT_FORM,
  agentId: 'sql',
  candidateVersion: '1.4.0',
};

describe('toRolloutRequest', () => {
  it('turns the defaults into the request the backend takes', () => {
    expect(toRolloutRequest(form)).toEqual({
      errors: {},
      request: {
        agentId: 'sql',
        candidateVersion: '1.4.0',
        steps: [5, 25, 50, 100],
        minPerStep: 20,
        bakeSeconds: 600,
        gates: {
          maxFailureRateMargin: 0.05,
          maxRollbackRateMargin: 0.05,
          maxVerifyMismatchMargin: 0,
          minThroughputShare: 0.8,
        },
        onAbort: 'finish',
      },
    });
  });

  it.each([
    ['', 'Steps are required: traffic shares in percent, e.g. 5, 25, 50, 100.'],
    [
      '5, 2.5, 100',
      'Steps: "2.5" is not a whole percentage from 1 to 100; write them as 5, 25, 50, 100.',
    ],
    [
      '0, 100',
      'Steps: "0" is not a whole percentage from 1 to 100; write them as 5, 25, 50, 100.',
    ],
    [
      '5, 5, 100',
      'Steps must rise, each above the one before, e.g. 5, 25, 50, 100.',
    ],
    ['5, 25', 'Steps must end at 100: the candidate becomes stable there.'],
  ])('refuses steps "%s"', (steps, message) => {
    const { request, errors } = toRolloutRequest({ ...form, steps });
    expect(request).toBeUndefined();
    expect(errors).toEqual({ steps: message });
  });

  it('takes a single step of 100', () => {
    expect(toRolloutRequest({ ...form, steps: '100' }).request?.steps).toEqual([
      100,
    ]);
  });
});
