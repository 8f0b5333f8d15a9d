import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { plan } from '../../__testUtils__/fixtures';
import { PlanReviewDialog } from './PlanReviewDialog';

describe('PlanReviewDialog', () => {
  it('shows mapping, SQL, findings by severity and enables Confirm for a clean plan', async () => {
    const onConfirm = jest.fn();
    const p = plan({
      findings: [
        {
          code: 'lossy-type',
          severity: 'warning',
          column: 'createdAt',
          message: 'stored as text',
        },
      ],
    });
    await renderInTestApp(
      <PlanReviewDialog
        open
        plan={p}
        isStarting={false}
        onClose={jest.fn()}
        onConfirm={onConfirm}
      />,
    );
    expect(
      screen.getByText(
        'warehouse:customerAccounts → warehouse:customer_accounts',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('full_name')).toBeInTheDocument();
    expect(document.body).toHaveTextContent('CREATE TABLE "customer_accounts"');
    expect(screen.getByText(/stored as text/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Confirm and migrate' }),
    );
    expect(onConfirm).toHaveBeenCalledWith(p);
  });

  it('lists blocking findings first and disables Confirm with the reason', async () => {
    const p = plan({
      findings: [
        { code: 'lossy-type', severity: 'warning', message: 'a warning' },
        {
          code: 'not-null-violation',
          severity: 'blocking',
          column: 'notes',
          message: '3 rows hold NULL',
        },
      ],
    });
    await renderInTestApp(
      <PlanReviewDialog
        open
        plan={p}
        isStarting={false}
        onClose={jest.fn()}
        onConfirm={jest.fn()}
      />,
    );
    const items = screen.getAllByRole('listitem').map(li => li.textContent);
    expect(items[0]).toMatch(
      /^Blocking · not-null-violation · notes: 3 rows hold NULL/,
    );
    expect(items[1]).toMatch(/^Warning · lossy-type/);
    expect(screen.getByRole('alert')).toHaveTextContent(
      '1 blocking finding must be resolved first',
    );
    expect(
      screen.getByRole('button', { name: 'Confirm and migrate' }),
    ).toBeDisabled();
  });

  it('disables Confirm when preflight failed and says which artifact', async () => {
    const p = plan({
      preflight: {
        status: 'failed',
        sampleRows: 0,
        durationMs: 3,
        failedArtifact: 'targetDdl',
        error: 'The generated targetDdl SQL failed: table exists',
      },
    });
    await renderInTestApp(
      <PlanReviewDialog
        open
        plan={p}
        isStarting={false}
        onClose={jest.fn()}
        onConfirm={jest.fn()}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Preflight failed: The generated targetDdl SQL failed: table exists',
    );
    expect(
      screen.getByRole('button', { name: 'Confirm and migrate' }),
    ).toBeDisabled();
  });
});
