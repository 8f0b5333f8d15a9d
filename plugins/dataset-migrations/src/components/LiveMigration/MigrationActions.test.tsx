import { ResponseError } from '@backstage/errors';
import { lightTheme } from '@backstage/theme';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { MigrationStatus } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { MigrationActions } from './MigrationActions';

// usePermission caches per dataset for the whole file: every test its own dataset.
let counter = 0;
const ofOwnDataset = (status: MigrationStatus) => {
  counter += 1;
  return migration({
    status,
    entityRef: `resource:default/actions-${counter}`,
  });
};

const buttons = () => screen.queryAllByRole('button').map(b => b.textContent);

describe('MigrationActions', () => {
  it.each<[MigrationStatus, string[]]>([
    ['queued', ['Cancel']],
    ['running', ['Cancel', 'Roll back']],
    ['failed', ['Retry']],
    ['awaiting_cleanup', ['Roll back', 'Finalize']],
    ['cancelled', ['Retry']],
  ])('offers for %s: %j', async (status, expected) => {
    renderInPluginApp(
      <MigrationActions migration={ofOwnDataset(status)} onDone={jest.fn()} />,
    );
    await waitFor(() => expect(buttons()).toEqual(expected));
  });

  // A rolled-back migration starts again through Migrate, which plans it afresh.
  it.each<MigrationStatus>(['completed', 'rolled_back'])(
    'offers nothing once a migration is %s',
    async status => {
      renderInPluginApp(
        <MigrationActions
          migration={ofOwnDataset(status)}
          onDone={jest.fn()}
        />,
      );
      expect(buttons()).toEqual([]);
    },
  );

  it('draws Finalize, which cannot be undone, in the error colour', async () => {
    const errorColour = lightTheme.palette.error.main;
    renderInPluginApp(
      <MigrationActions
        migration={ofOwnDataset('awaiting_cleanup')}
        onDone={jest.fn()}
      />,
    );
    const finalize = screen.getByRole('button', { name: 'Finalize' });
    await waitFor(() => expect(finalize).toBeEnabled());
    expect(finalize).toHaveStyle({ color: errorColour });
    expect(screen.getByRole('button', { name: 'Roll back' })).not.toHaveStyle({
      color: errorColour,
    });
    await userEvent.click(finalize);
    const confirm = within(screen.getByRole('dialog')).getByRole('button', {
      name: 'Finalize',
    });
    expect(confirm).toHaveStyle({ backgroundColor: errorColour });
  });

  it('acts only after confirmation, and hands back the updated migration', async () => {
    const subject = ofOwnDataset('awaiting_cleanup');
    const finalized = { ...subject, status: 'awaiting_cleanup' as const };
    const actOnMigration = jest.fn(async () => ({ migration: finalized }));
    const onDone = jest.fn();
    renderInPluginApp(
      <MigrationActions migration={subject} onDone={onDone} />,
      { api: { actOnMigration } },
    );
    const finalize = screen.getByRole('button', { name: 'Finalize' });
    await waitFor(() => expect(finalize).toBeEnabled());
    await userEvent.click(finalize);
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('This cannot be undone');
    expect(actOnMigration).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Keep it' }),
    );
    expect(actOnMigration).not.toHaveBeenCalled();

    await userEvent.click(finalize);
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Finalize',
      }),
    );
    expect(actOnMigration).toHaveBeenCalledWith(subject.id, 'finalize');
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(finalized));
  });

  it('shows why the backend refused the action', async () => {
    const actOnMigration = jest.fn(async () => {
      throw new Error('Cannot cancel migration 1111: it is completed');
    });
    renderInPluginApp(
      <MigrationActions
        migration={ofOwnDataset('running')}
        onDone={jest.fn()}
      />,
      { api: { actOnMigration } },
    );
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).toBeEnabled());
    await userEvent.click(cancel);
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Cancel',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Cannot cancel migration 1111: it is completed',
    );
  });

  it("shows the backend's own message of a refused request, not its status line", async () => {
    // What the client throws for a 409: a ResponseError whose cause is the server's error.
    const body = {
      error: {
        name: 'ConflictError',
        message:
          'Cannot rollback migration 2222 of resource:default/x: it is cleaning_up',
      },
      request: { method: 'POST', url: '/migrations/2222/rollback' },
      response: { statusCode: 409 },
    };
    const refusal = await ResponseError.fromResponse({
      ok: false,
      status: 409,
      statusText: 'Conflict',
      url: 'http://localhost/api/dataset-migrations/migrations/2222/rollback',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(body),
    } as never);
    const actOnMigration = jest.fn(async () => {
      throw refusal;
    });
    renderInPluginApp(
      <MigrationActions
        migration={ofOwnDataset('running')}
        onDone={jest.fn()}
      />,
      { api: { actOnMigration } },
    );
    const rollback = screen.getByRole('button', { name: 'Roll back' });
    await waitFor(() => expect(rollback).toBeEnabled());
    await userEvent.click(rollback);
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Roll back',
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('it is cleaning_up');
    expect(alert).not.toHaveTextContent('Request failed with 409');
  });

  it('is disabled, with the reason, for people who may not migrate the dataset', async () => {
    renderInPluginApp(
      <MigrationActions
        migration={ofOwnDataset('running')}
        onDone={jest.fn()}
      />,
      { authorize: AuthorizeResult.DENY },
    );
    expect(
      await screen.findByText(
        'Only the owners of this dataset can act on its migrations.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  });
});
