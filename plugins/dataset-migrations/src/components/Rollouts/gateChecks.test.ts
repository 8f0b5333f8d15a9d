import { rollout, stats } from '../../__testUtils__/rolloutFixtures';
import { gateChecks } from './gateChecks';

const verdicts = (
  candidate: Parameters<typeof stats>[0],
  stable: Parameters<typeof stats>[0] = {},
) =>
  Object.fromEntries(
    gateChecks(
      rollout(),
      stats({ version: '1.4.0', ...candidate }),
      stats(stable),
    ).map(c => [c.label, c.verdict]),
  );

describe('gateChecks', () => {
  it('passes a rate exactly at its margin above stable, as the backend does, and fails one just over', () => {
    expect(
      verdicts({ failureRate: 0.1 }, { failureRate: 0.05 })['Failure rate'],
    ).toBe('pass');
    expect(
      verdicts({ failureRate: 0.11 }, { failureRate: 0.05 })['Failure rate'],
    ).toBe('fail');
  });

  it('counts a missing stable rate as 0, and waits while the candidate has none', () => {
    expect(
      verdicts({ rollbackRate: 0.06 }, { rollbackRate: null })['Rollback rate'],
    ).toBe('fail');
    expect(
      verdicts({ finished: 0, verifyMismatchRate: null })[
        'Verify mismatch rate'
      ],
    ).toBe('waiting');
    expect(verdicts({ finished: 3 }).Finished).toBe('waiting');
  });

  it('fails copy throughput below its share of stable, and waits without both numbers', () => {
    expect(verdicts({ copyRowsPerSecond: 799 })['Copy throughput']).toBe(
      'fail',
    );
    expect(verdicts({ copyRowsPerSecond: 800 })['Copy throughput']).toBe(
      'pass',
    );
    expect(
      verdicts({ copyRowsPerSecond: 500 }, { copyRowsPerSecond: null })[
        'Copy throughput'
      ],
    ).toBe('waiting');
  });
});
