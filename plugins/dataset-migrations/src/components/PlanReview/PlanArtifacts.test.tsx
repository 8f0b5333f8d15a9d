import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { plan } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { PlanArtifacts } from './PlanArtifacts';

const sectionTitles = () =>
  screen.getAllByRole('button', { expanded: false }).map(b => b.textContent);

describe('PlanArtifacts', () => {
  it('shows the indexes a plan builds after the copy on their own, after the target table', async () => {
    const base = plan();
    await renderInPluginApp(
      <PlanArtifacts
        plan={{
          ...base,
          agent: { id: 'sql', version: '1.4.0' },
          artifacts: {
            ...base.artifacts,
            postCopyDdl: [
              'CREATE INDEX "customer_accounts_full_name" ON "customer_accounts" ("full_name")',
            ],
          },
        }}
      />,
    );
    const titles = sectionTitles();
    expect(titles.indexOf('Indexes built after the copy')).toBeGreaterThan(
      titles.indexOf('Target table (provision)'),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Indexes built after the copy' }),
    );
    const indexes = await screen.findByRole('region', {
      name: 'Indexes built after the copy',
    });
    await waitFor(() =>
      expect(indexes).toHaveTextContent(
        'CREATE INDEX "customer_accounts_full_name"',
      ),
    );
    expect(within(indexes).getByRole('button')).toBeInTheDocument();
  });

  it('leaves the section out for a plan that builds its indexes with the table', async () => {
    await renderInPluginApp(<PlanArtifacts plan={plan()} />);
    expect(sectionTitles()).toContain('Target table (provision)');
    expect(sectionTitles()).not.toContain('Indexes built after the copy');
  });

  it('collapses every artifact, and shows the view once: the cutover points to it instead of repeating it', async () => {
    const base = plan();
    const view = base.artifacts.compatibilityView[0];
    await renderInPluginApp(
      <PlanArtifacts
        plan={{
          ...base,
          artifacts: {
            ...base.artifacts,
            cutover: [
              'ALTER TABLE "customerAccounts" RENAME TO "customerAccounts__dm_backup"',
              view,
            ],
          },
        }}
      />,
    );
    expect(
      screen.queryByRole('region', { name: 'Cutover' }),
    ).not.toBeInTheDocument();
    expect(screen.queryAllByRole('button', { expanded: true })).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Cutover' }));
    const cutover = await screen.findByRole('region', { name: 'Cutover' });
    await waitFor(() =>
      expect(cutover).toHaveTextContent(
        'ALTER TABLE "customerAccounts" RENAME TO "customerAccounts__dm_backup"',
      ),
    );
    expect(cutover).not.toHaveTextContent('CREATE VIEW');
    expect(cutover).toHaveTextContent(
      'then the statements of "Compatibility view" (the next section)',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Compatibility view' }),
    );
    const compatibility = await screen.findByRole('region', {
      name: 'Compatibility view',
    });
    await waitFor(() =>
      expect(compatibility).toHaveTextContent('CREATE VIEW "customerAccounts"'),
    );
  });
});
