import { parseEntityRef } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { plan } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { viewportMatches } from '../../__testUtils__/viewport';
import { PlanReviewDialog, PlanReviewDialogProps } from './PlanReviewDialog';

function renderDialog(props: Partial<PlanReviewDialogProps>) {
  return renderInPluginApp(
    <PlanReviewDialog
      open
      isStarting={false}
      onClose={jest.fn()}
      onConfirm={jest.fn()}
      {...props}
    />,
  );
}

const confirmButton = () =>
  screen.getByRole('button', { name: 'Confirm and migrate' });

describe('PlanReviewDialog', () => {
  it('takes the whole screen on a phone, and not on a desktop', async () => {
    const restore = viewportMatches(true);
    try {
      const { unmount } = await renderDialog({});
      expect(
        (await screen.findByRole('dialog')).closest('.MuiDialog-paper'),
      ).toHaveClass('MuiDialog-paperFullScreen');
      unmount();
    } finally {
      restore();
    }
    await renderDialog({});
    expect(
      (await screen.findByRole('dialog')).closest('.MuiDialog-paper'),
    ).not.toHaveClass('MuiDialog-paperFullScreen');
  });

  it('shows source → target, the column mapping, every SQL artifact with a copy button, and confirms a clean plan', async () => {
    const onConfirm = jest.fn();
    const p = plan();
    await renderDialog({ plan: p, onConfirm });

    expect(
      screen.getByText(
        'warehouse:customerAccounts → warehouse:customer_accounts',
      ),
    ).toBeInTheDocument();
    const mapping = within(screen.getByRole('table'));
    expect(mapping.getByText('fullName')).toBeInTheDocument();
    expect(mapping.getByText('full_name')).toBeInTheDocument();
    expect(mapping.getByText('snake')).toBeInTheDocument();

    for (const [title, sql] of [
      ['Target table (provision)', 'CREATE TABLE "customer_accounts"'],
      ['Copy', 'INSERT INTO "customer_accounts"'],
      [
        'Validation queries (verify)',
        'SELECT COUNT(*) FROM "customer_accounts"',
      ],
      ['Compatibility view', 'CREATE VIEW "customerAccounts"'],
      ['Rollback of the target table', 'DROP TABLE IF EXISTS'],
    ]) {
      const region = screen.getByRole('region', { name: title });
      // The snippet highlights asynchronously.
      await waitFor(() => expect(region).toHaveTextContent(sql));
      expect(within(region).getByRole('button')).toBeInTheDocument();
    }
    // Empty artifacts (cutover, cleanup in the fixture) are left out.
    expect(
      screen.queryByRole('region', { name: 'Cleanup (at finalize)' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(/Proved on a sample of 5 rows/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No findings/)).toBeInTheDocument();

    await userEvent.click(confirmButton());
    expect(onConfirm).toHaveBeenCalledWith(p);
  });

  it('groups findings by severity and disables Confirm with the reason on a blocking one', async () => {
    const onConfirm = jest.fn();
    await renderDialog({
      onConfirm,
      plan: plan({
        findings: [
          {
            code: 'lossy-type',
            severity: 'warning',
            column: 'createdAt',
            message: 'stored as text',
          },
          {
            code: 'not-null-violation',
            severity: 'blocking',
            column: 'notes',
            message: '3 rows hold NULL',
          },
        ],
      }),
    });

    expect(
      screen.getByRole('heading', { name: 'Blocking (1)' }),
    ).toBeInTheDocument();
    const blocking = screen.getByRole('list', {
      name: 'Blocking: The data (1)',
    });
    expect(blocking).toHaveTextContent(
      'not-null-violation on notes: 3 rows hold NULL',
    );
    expect(blocking).not.toHaveTextContent('stored as text');
    const warnings = screen.getByRole('list', {
      name: 'Warnings: The new table’s schema (1)',
    });
    expect(warnings).toHaveTextContent(
      'lossy-type on createdAt: stored as text',
    );

    expect(screen.getByRole('alert')).toHaveTextContent(
      '1 blocking finding must be resolved first',
    );
    expect(confirmButton()).toBeDisabled();
  });

  it('groups the schema findings by what they are about', async () => {
    await renderDialog({
      plan: plan({
        findings: [
          {
            code: 'incoming-foreign-key',
            severity: 'blocking',
            message: 'child_fk cannot move to another database',
          },
          {
            code: 'target-exists',
            severity: 'blocking',
            message: 'orders_v2 already exists',
          },
          {
            code: 'identity-change',
            severity: 'warning',
            column: 'id',
            message: 'serial becomes identity',
          },
          {
            code: 'constraint-not-carried',
            severity: 'warning',
            message: 'check qty_positive not carried',
          },
          {
            code: 'collation-change',
            severity: 'warning',
            column: 'name',
            message: 'case-insensitive becomes binary',
          },
          {
            code: 'no-compatibility-view',
            severity: 'warning',
            message: 'no view at the old name',
          },
        ],
      }),
    });
    const lists = screen
      .getAllByRole('list')
      .map(l => l.getAttribute('aria-label'));
    expect(lists).toEqual([
      'Blocking: The target (1)',
      'Blocking: Other tables (1)',
      'Warnings: The new table’s schema (3)',
      'Warnings: Readers and writers (1)',
    ]);
    expect(
      screen.getByRole('list', {
        name: 'Warnings: The new table’s schema (3)',
      }),
    ).toHaveTextContent('identity-change on id: serial becomes identity');
    expect(screen.getByRole('alert')).toHaveTextContent(
      '2 blocking findings must be resolved first',
    );
  });

  it('enables Confirm with warnings only', async () => {
    await renderDialog({
      plan: plan({
        findings: [
          { code: 'lossy-type', severity: 'warning', message: 'a warning' },
        ],
      }),
    });
    expect(
      screen.queryByRole('heading', { name: /Blocking/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(confirmButton()).toBeEnabled();
  });

  it('disables Confirm when preflight failed and says which SQL failed', async () => {
    await renderDialog({
      plan: plan({
        preflight: {
          status: 'failed',
          sampleRows: 0,
          durationMs: 3,
          failedArtifact: 'targetDdl',
          error: 'table customer_accounts already exists',
        },
      }),
    });
    expect(
      screen.getByText(/Preflight failed on the targetDdl SQL/),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Preflight failed: table customer_accounts already exists',
    );
    expect(confirmButton()).toBeDisabled();
  });

  it('names the consumers that must repoint when the source is frozen instead of a view', async () => {
    await renderDialog({
      plan: plan({ compatibility: 'frozen-source' }),
      consumers: [parseEntityRef('component:default/billing-service')],
    });
    const note = screen.getByLabelText('how consumers are protected');
    expect(note).toHaveTextContent('read-only');
    expect(note).toHaveTextContent(
      'These consumers must repoint to warehouse:customer_accounts before an owner finalizes',
    );
    expect(within(note).getByRole('link')).toHaveTextContent('billing-service');
  });

  it('shows why the plan could not be generated and offers to try again', async () => {
    const onRetry = jest.fn();
    await renderDialog({
      error: new Error(
        'Table customerAccounts does not exist on connection warehouse',
      ),
      onRetry,
    });
    expect(
      screen.getAllByText(/does not exist on connection warehouse/).length,
    ).toBeGreaterThan(0);
    expect(confirmButton()).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Generate the plan again' }),
    );
    expect(onRetry).toHaveBeenCalled();
  });
});
