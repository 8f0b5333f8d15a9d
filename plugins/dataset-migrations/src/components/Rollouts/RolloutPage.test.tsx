import { ResponseError } from '@backstage/errors';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderRolloutPage } from '../../__testUtils__/renderRolloutPage';
import {
  ROLLOUT_ID,
  rollout,
  rolloutDetail,
} from '../../__testUtils__/rolloutFixtures';
import { ROLLOUT_POLL_MS } from './useRolloutDetail';

const row = (table: HTMLElement, label: string) =>
  within(table).getByRole('row', { name: new RegExp(`^${label}`) });

describe('RolloutPage for an administrator', () => {
  it('shows the step in force, the gates, and candidate and stable side by side with each verdict', async () => {
    renderRolloutPage({
      rollouts: { getRollout: async () => ({ rollout: rolloutDetail() }) },
    });
    expect(await screen.findByLabelText('rollout status')).toHaveTextContent(
      'active: step 2 of 4, 25 % of new migrations',
    );
    const stepper = screen.getByLabelText('rollout steps');
    expect(
      within(stepper).getByText('25 %').closest('[aria-current]'),
    ).toHaveAttribute('aria-current', 'step');
    expect(stepper.querySelectorAll('[aria-current]')).toHaveLength(1);
    expect(screen.getByLabelText('gates')).toHaveTextContent(
      'at least 10 finished candidate migrations and 600 s of bake time',
    );
    expect(screen.getByLabelText('gates')).toHaveTextContent(
      'copy throughput at least 80.0 % of stable',
    );

    const table = screen.getByRole('table', { name: 'gate numbers' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Number', 'Candidate 1.4.0', 'Stable 1.3.0', 'Gate', 'Verdict']);
    expect(row(table, 'Finished')).toHaveTextContent(/12\s*40.*pass$/);
    expect(row(table, 'Failure rate')).toHaveTextContent(
      '16.7 %5.0 %at most 5.0 % above stablefail',
    );
    expect(row(table, 'Rollback rate')).toHaveTextContent(/pass$/);
    expect(row(table, 'Verify mismatch rate')).toHaveTextContent(/pass$/);
    expect(row(table, 'Copy throughput')).toHaveTextContent(
      '1,500 rows/s1,000 rows/sat least 80.0 % of stablepass',
    );
  });

  it('shows the decision history in order, with who decided and the numbers', async () => {
    renderRolloutPage({
      rollouts: { getRollout: async () => ({ rollout: rolloutDetail() }) },
    });
    const timeline = await screen.findByRole('list', {
      name: 'decision history',
    });
    const entries = within(timeline).getAllByRole('listitem');
    expect(entries).toHaveLength(3);
    expect(entries[0]).toHaveTextContent('start');
    expect(entries[0]).toHaveTextContent('step 1 at 5 % · by admin');
    expect(
      within(entries[0]).getByRole('link', { name: 'admin' }),
    ).toHaveAttribute('href', '/catalog/default/user/admin');
    expect(entries[1]).toHaveTextContent('promote');
    expect(entries[1]).toHaveTextContent('by the gates');
    expect(entries[1]).toHaveTextContent(
      'Gates passed at 5 %: promoted to 25 %',
    );
    expect(entries[1]).toHaveTextContent(
      'Candidate 1.4.0: 10 finished, failure 0.0 %, rollback 0.0 %, verify mismatches 0.0 %, 1,000 rows/s.',
    );
    expect(entries[1]).toHaveTextContent(
      'Stable 1.3.0: 40 finished, failure 5.0 %',
    );
    expect(entries[2]).toHaveTextContent('hold');
    expect(entries[2]).toHaveTextContent('step 2 at 25 %');
    expect(entries[2]).toHaveTextContent('Too few results: 4 of 10');
  });

  it('aborts only after a confirmation that says what happens to the migrations', async () => {
    const getRollout = jest
      .fn()
      .mockResolvedValueOnce({ rollout: rolloutDetail() })
      .mockResolvedValue({
        rollout: rolloutDetail({ status: 'aborted', share: 0 }),
      });
    const abortRollout = jest.fn(async () => ({
      rollout: rollout({ status: 'aborted', share: 0 }),
    }));
    renderRolloutPage({ rollouts: { getRollout, abortRollout } });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Abort rollout' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Abort the rollout of sql 1.4.0?');
    expect(dialog).toHaveTextContent(
      'queued migrations it planned are planned again by 1.3.0, and its running migrations finish with it',
    );
    expect(abortRollout).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Abort rollout' }),
    );
    expect(abortRollout).toHaveBeenCalledWith(ROLLOUT_ID);
    await waitFor(() =>
      expect(screen.getByLabelText('rollout status')).toHaveTextContent(
        'aborted: step 2 of 4, 0 % of new migrations',
      ),
    );
    expect(
      screen.queryByRole('button', { name: 'Abort rollout' }),
    ).not.toBeInTheDocument();
  });

  it("shows the backend's reason when the abort is refused", async () => {
    const body = {
      error: {
        name: 'ConflictError',
        message: `Rollout ${ROLLOUT_ID} is promoted; only an active rollout can be aborted`,
      },
      request: { method: 'POST', url: `/rollouts/${ROLLOUT_ID}/abort` },
      response: { statusCode: 409 },
    };
    const refusal = await ResponseError.fromResponse({
      ok: false,
      status: 409,
      statusText: 'Conflict',
      url: `http://localhost/api/dataset-migrations/rollouts/${ROLLOUT_ID}/abort`,
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(body),
    } as never);
    renderRolloutPage({
      rollouts: {
        getRollout: async () => ({ rollout: rolloutDetail() }),
        abortRollout: async () => {
          throw refusal;
        },
      },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Abort rollout' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Abort rollout',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Abort failed: Rollout ${ROLLOUT_ID} is promoted; only an active rollout can be aborted`,
    );
  });

  it('asks again every few seconds while active, and stops once the rollout is over', async () => {
    jest.useFakeTimers();
    try {
      const getRollout = jest
        .fn()
        .mockResolvedValueOnce({ rollout: rolloutDetail() })
        .mockResolvedValue({
          rollout: rolloutDetail({ status: 'promoted', step: 3, share: 100 }),
        });
      renderRolloutPage({ rollouts: { getRollout } });
      expect(await screen.findByLabelText('rollout status')).toHaveTextContent(
        'active',
      );
      expect(getRollout).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(ROLLOUT_POLL_MS);
      });
      await waitFor(() =>
        expect(screen.getByLabelText('rollout status')).toHaveTextContent(
          'promoted: step 4 of 4, 100 % of new migrations',
        ),
      );
      await act(async () => {
        jest.advanceTimersByTime(ROLLOUT_POLL_MS * 3);
      });
      expect(getRollout).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
