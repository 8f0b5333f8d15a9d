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

  it('shows source → target, the column mapping, every SQL artifact collapsed with a copy button once opened, and confirms a clean plan', async () => {
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

    const titles = [
      'Target table (provision)',
      'Copy',
      'Validation queries (verify)',
      'Compatibility view',
      'Rollback of the target table',
    ];
    // Collapsed: one closed section per artifact, no SQL on screen yet.
    for (const title of titles) {
      expect(screen.getByRole('button', { name: title })).toHaveAttribute(
        'aria-expanded',
        'false',
      );
      expect(
        screen.queryByRole('region', { name: title }),
      ).not.toBeInTheDocument();
    }
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
      await userEvent.click(screen.getByRole('button', { name: title }));
      const region = await screen.findByRole('region', { name: title });
      // The snippet highlights asynchronously.
      await waitFor(() => expect(region).toHaveTextContent(sql));
      expect(within(region).getByRole('button')).toBeInTheDocument();
    }
    // Empty artifacts (cutover, cleanup in the fixture) are left out.
    expect(
      screen.queryByRole('button', { name: 'Cleanup (at finalize)' }),
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
      .getAllByRole('list', { name: /^(Blocking|Warnings):/ })
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

  it('names the consumers that must repoint when the source is frozen instead of a view, and mentions no view it does not make', async () => {
    const frozen = plan({ compatibility: 'frozen-source' });
    await renderDialog({
      plan: {
        ...frozen,
        source: { ...frozen.source, engine: 'postgres' },
        target: {
          ...frozen.target,
          connection: 'lake',
          engine: 'mysql',
          isSameDatabase: false,
        },
        artifacts: { ...frozen.artifacts, compatibilityView: [] },
      },
      consumers: [parseEntityRef('component:default/billing-service')],
    });
    const note = screen.getByLabelText('how consumers are protected');
    expect(note).toHaveTextContent(
      'No view can stand at the old name: warehouse:customerAccounts stays readable but read-only',
    );
    expect(note).not.toHaveTextContent(
      /compatibility view|keep working unchanged/,
    );
    expect(note).toHaveTextContent(
      'These consumers must repoint to lake:customer_accounts before an owner finalizes',
    );
    expect(within(note).getByRole('link')).toHaveTextContent('billing-service');
    // Writers get errors: styled as a warning, not as information.
    expect(note).toHaveClass('MuiAlert-standardWarning');

    const preflight = screen.getByText(/Proved on a sample of 5 rows/);
    expect(preflight).toHaveTextContent(
      'the target table, copy, validation and rollback SQL ran',
    );
    expect(preflight).not.toHaveTextContent(/view/);
    expect(
      screen.queryByRole('button', { name: 'Compatibility view' }),
    ).not.toBeInTheDocument();
  });

  it('says writers pass through a PostgreSQL view, and pause just before cutover', async () => {
    const base = plan();
    await renderDialog({
      plan: {
        ...base,
        source: { ...base.source, engine: 'postgres' },
        target: { ...base.target, engine: 'postgres' },
        artifacts: {
          ...base.artifacts,
          quiesce: ['CREATE TRIGGER "dm_ro_customerAccounts" …'],
        },
      },
    });
    const note = screen.getByLabelText('how consumers are protected');
    expect(note).toHaveTextContent(
      'During the copy: Readers and writers of warehouse:customerAccounts keep working',
    );
    expect(note).toHaveTextContent(
      'Just before cutover: Writes to warehouse:customerAccounts fail with "retry" errors',
    );
    expect(note).toHaveTextContent(
      'Writes to warehouse:customerAccounts pass through the view to warehouse:customer_accounts',
    );
    expect(note).toHaveClass('MuiAlert-standardInfo');
    expect(screen.getByText(/Proved on a sample of 5 rows/)).toHaveTextContent(
      'validation, compatibility view and rollback SQL ran',
    );
  });

  it('never says writers keep working through a SQLite view, which takes no writes', async () => {
    await renderDialog({ plan: plan() });
    const note = screen.getByLabelText('how consumers are protected');
    expect(note).toHaveTextContent(
      'The view takes no writes: INSERT, UPDATE and DELETE on warehouse:customerAccounts fail, so writers must write to warehouse:customer_accounts from cutover on.',
    );
    expect(note).not.toHaveTextContent(/unchanged|pass through/);
    expect(note).toHaveClass('MuiAlert-standardWarning');
  });

  it('says writes fail from the start when the table has no key to catch them up by', async () => {
    await renderDialog({ plan: plan({ copyKey: [] }) });
    expect(
      screen.getByLabelText('how consumers are protected'),
    ).toHaveTextContent(
      'Writes to warehouse:customerAccounts fail with an error from the start of the migration until cutover',
    );
  });

  it('leads with source → target, then findings with their severity and what to do, then consumers, preflight, mapping and SQL', async () => {
    await renderDialog({
      plan: plan({
        findings: [
          {
            code: 'not-null-violation',
            severity: 'blocking',
            column: 'notes',
            message: '3 rows hold NULL',
          },
          {
            code: 'lossy-type',
            severity: 'warning',
            column: 'createdAt',
            message: 'stored as text',
          },
        ],
      }),
    });
    const blocking = screen.getByRole('group', { name: 'Blocking (1)' });
    expect(blocking).toHaveClass('MuiAlert-standardError');
    expect(blocking).toHaveTextContent(
      'What to do: Fill the NULLs in the source, or ask an admin for a rule with a default for the column',
    );
    const warnings = screen.getByRole('group', { name: 'Warnings (1)' });
    expect(warnings).toHaveClass('MuiAlert-standardWarning');
    expect(warnings).toHaveTextContent(
      'What to do: Check that readers accept the target type',
    );

    const inOrder = [
      screen.getByText(
        'warehouse:customerAccounts → warehouse:customer_accounts',
      ),
      blocking,
      warnings,
      screen.getByLabelText('how consumers are protected'),
      screen.getByText(/Preflight/, { selector: 'h6, p, span' }),
      screen.getByRole('table'),
      screen.getByRole('button', { name: 'Target table (provision)' }),
    ];
    for (let i = 1; i < inOrder.length; i++) {
      expect(
        // eslint-disable-next-line no-bitwise
        inOrder[i - 1].compareDocumentPosition(inOrder[i]) &
          Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
    }
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
