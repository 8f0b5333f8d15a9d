import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { plan } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { PlanReviewDialog } from './PlanReviewDialog';

// The review opens while the plan is generated; the plan arrives a few seconds later.
let arrive: (p: Plan) => void = () => {};
const ReviewWhilePlanning = () => {
  const [current, setCurrent] = useState<Plan>();
  arrive = setCurrent;
  return (
    <PlanReviewDialog
      open
      plan={current}
      isStarting={false}
      onClose={jest.fn()}
      onConfirm={jest.fn()}
    />
  );
};

const confirmButton = () =>
  screen.getByRole('button', { name: 'Confirm and migrate' });

describe('PlanReviewDialog by keyboard', () => {
  it('moves the focus to Confirm once a confirmable plan arrives', async () => {
    await renderInPluginApp(<ReviewWhilePlanning />);
    expect(confirmButton()).not.toHaveFocus();
    act(() => arrive(plan()));
    await waitFor(() => expect(confirmButton()).toHaveFocus());
  });

  it('leaves the focus alone when a blocking finding disables Confirm', async () => {
    await renderInPluginApp(<ReviewWhilePlanning />);
    act(() =>
      arrive(
        plan({
          findings: [
            {
              code: 'destructive-change',
              severity: 'blocking',
              message: 'blocked',
            },
          ],
        }),
      ),
    );
    await screen.findByRole('alert');
    expect(confirmButton()).toBeDisabled();
    expect(confirmButton()).not.toHaveFocus();
  });

  it('puts no sort or drag button in the column mapping’s headers', async () => {
    await renderInPluginApp(<ReviewWhilePlanning />);
    act(() => arrive(plan()));
    const mapping = await screen.findByRole('table');
    const headers = within(mapping).getAllByRole('columnheader');
    expect(headers.length).toBeGreaterThan(0);
    for (const header of headers) {
      expect(within(header).queryByRole('button')).not.toBeInTheDocument();
    }
  });

  it('lets a keyboard scroll the plan: its content is a focusable region named by the title', async () => {
    await renderInPluginApp(<ReviewWhilePlanning />);
    act(() => arrive(plan()));
    const content = await screen.findByRole('region', {
      name: 'Review the migration plan',
    });
    expect(content).toHaveAttribute('tabindex', '0');
    expect(within(content).getByText('Column mapping')).toBeInTheDocument();
  });
});
