import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ConsumerReport } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { MigrationActions } from '../LiveMigration/MigrationActions';
import { ConsumersSection } from './ConsumersSection';

const DIFF = `--- a/queries/accounts.sql
+++ b/queries/accounts.sql
@@ -1,1 +1,1 @@
-SELECT fullName FROM customerAccounts;
+SELECT full_name FROM customer_accounts;
`;

const report = (overrides: Partial<ConsumerReport>): ConsumerReport => ({
  entityRef: 'component:default/revenue-dashboard',
  status: 'verified',
  files: [
    {
      url: 'file:///repo/dashboard/queries/accounts.sql',
      diff: DIFF,
      statements: [
        {
          line: 1,
          original: 'SELECT fullName FROM customerAccounts',
          rewritten: 'SELECT full_name FROM customer_accounts',
          outcome: 'verified',
          reason: null,
          parity: {
            oldRows: 4,
            newRows: 4,
            ordered: false,
            sample: [{ full_name: 'Ann Ample' }],
          },
        },
      ],
    },
  ],
  counts: { statements: 1, rewritten: 1, verified: 1, unverifiable: 0 },
  pullRequestUrl: null,
  checkedAt: '2026-11-30T10:00:00.000Z',
  error: null,
  ...overrides,
});

const needsReview = report({
  entityRef: 'component:default/billing-service',
  status: 'needs-review',
  files: [
    {
      url: 'https://github.com/acme/billing/blob/main/queries/invoices.sql',
      diff: null,
      statements: [
        {
          line: 7,
          original: 'SELECT @@ broken',
          rewritten: null,
          outcome: 'unverifiable',
          reason: 'cannot parse it: unexpected @@',
        },
      ],
    },
  ],
  counts: { statements: 1, rewritten: 0, verified: 0, unverifiable: 1 },
});
const repointed = report({
  entityRef: 'component:default/storefront-web',
  status: 'repointed',
  files: [
    {
      url: 'file:///repo/web/q.sql',
      diff: null,
      statements: [
        {
          line: 1,
          original: 'SELECT 1',
          rewritten: null,
          outcome: 'untouched',
          reason: null,
        },
      ],
    },
  ],
  counts: { statements: 1, rewritten: 0, verified: 0, unverifiable: 0 },
});

// usePermission caches per dataset for the whole file: every test its own dataset.
let counter = 0;
const cutOver = () => {
  counter += 1;
  return migration({
    status: 'awaiting_cleanup',
    entityRef: `resource:default/consumers-${counter}`,
  });
};

describe('ConsumersSection', () => {
  it('shows each consumer with its status, counts, diff and parity evidence', async () => {
    renderInPluginApp(<ConsumersSection migration={cutOver()} />, {
      api: {
        listConsumers: async () => ({
          items: [report({}), needsReview, repointed],
        }),
      },
    });
    const dashboard = await screen.findByRole('region', {
      name: 'consumer component:default/revenue-dashboard',
    });
    expect(dashboard).toHaveTextContent('patched and verified');
    expect(dashboard).toHaveTextContent(
      '1 statement(s): 1 rewritten, 1 verified by parity',
    );
    expect(dashboard).toHaveTextContent(
      'old 4 row(s), new 4 row(s), compared as multisets',
    );
    // The code snippets highlight once their highlighter has loaded.
    await waitFor(() => expect(dashboard).toHaveTextContent('Ann Ample'));
    await waitFor(() =>
      expect(dashboard).toHaveTextContent(
        '+SELECT full_name FROM customer_accounts;',
      ),
    );
    expect(
      within(dashboard).getByRole('button', { name: 'Download patch' }),
    ).toBeEnabled();

    const billing = screen.getByRole('region', {
      name: 'consumer component:default/billing-service',
    });
    expect(billing).toHaveTextContent('needs a person');
    expect(billing).toHaveTextContent('cannot parse it: unexpected @@');
    // Nothing rewritten with certainty: no patch to offer.
    expect(within(billing).queryByRole('button')).toBeNull();

    expect(
      screen.getByRole('region', {
        name: 'consumer component:default/storefront-web',
      }),
    ).toHaveTextContent('already repointed');
  });

  it('opens a pull request, downloads the patch and checks again', async () => {
    const opened = report({
      status: 'pr-open',
      pullRequestUrl: 'https://github.com/acme/dashboard/pull/7',
    });
    const openConsumerPullRequest = jest.fn(async () => ({ report: opened }));
    const getConsumerPatch = jest.fn(async () => DIFF);
    const checkConsumers = jest.fn(async () => ({ items: [repointed] }));
    const createObjectURL = jest.fn(() => 'blob:patch');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const subject = cutOver();
    renderInPluginApp(<ConsumersSection migration={subject} />, {
      api: {
        listConsumers: async () => ({ items: [report({})] }),
        openConsumerPullRequest,
        getConsumerPatch,
        checkConsumers,
      },
    });
    const open = await screen.findByRole('button', {
      name: 'Open pull request',
    });
    await waitFor(() => expect(open).toBeEnabled());
    await userEvent.click(open);
    expect(openConsumerPullRequest).toHaveBeenCalledWith(
      subject.id,
      'component:default/revenue-dashboard',
    );
    expect(
      await screen.findByRole('link', { name: /^Pull request/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/dashboard/pull/7');
    expect(screen.getByText('pull request open')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Download patch' }),
    );
    expect(getConsumerPatch).toHaveBeenCalledWith(
      subject.id,
      'component:default/revenue-dashboard',
    );
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());

    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(checkConsumers).toHaveBeenCalledWith(subject.id);
    expect(
      await screen.findByRole('region', {
        name: 'consumer component:default/storefront-web',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', {
        name: 'consumer component:default/revenue-dashboard',
      }),
    ).toBeNull();
  });

  it('lets a person without the migrate permission read, not act', async () => {
    renderInPluginApp(<ConsumersSection migration={cutOver()} />, {
      api: { listConsumers: async () => ({ items: [report({})] }) },
      authorize: AuthorizeResult.DENY,
    });
    expect(
      await screen.findByRole('button', { name: 'Open pull request' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Check again' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Download patch' }),
    ).toBeEnabled();
  });
});

describe('finalize with consumers on the old name', () => {
  it('lists them and finalizes only with the explicit override', async () => {
    const subject = cutOver();
    const actOnMigration = jest.fn(async () => ({
      migration: { ...subject, status: 'cleaning_up' as const },
    }));
    renderInPluginApp(
      <MigrationActions migration={subject} onDone={jest.fn()} />,
      {
        api: {
          listConsumers: async () => ({
            items: [report({}), needsReview, repointed],
          }),
          actOnMigration,
        },
      },
    );
    const finalize = screen.getByRole('button', { name: 'Finalize' });
    await waitFor(() => expect(finalize).toBeEnabled());
    await userEvent.click(finalize);
    const dialog = screen.getByRole('dialog');
    const listed = await within(dialog).findByRole('list', {
      name: 'consumers on the old name',
    });
    expect(
      within(listed)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'component:default/revenue-dashboard (patched and verified)',
      'component:default/billing-service (needs a person)',
    ]);
    const confirm = within(dialog).getByRole('button', { name: 'Finalize' });
    expect(confirm).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: /Finalize anyway/ }),
    );
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    expect(actOnMigration).toHaveBeenCalledWith(subject.id, 'finalize', {
      overrideConsumers: true,
    });
  });
});
