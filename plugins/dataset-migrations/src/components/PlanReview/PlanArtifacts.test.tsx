import { screen, waitFor, within } from '@testing-library/react';
import { plan } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { PlanArtifacts } from './PlanArtifacts';

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
    const regions = screen.getAllByRole('region');
    const titles = regions.map(r => r.getAttribute('aria-label'));
    expect(titles.indexOf('Indexes built after the copy')).toBeGreaterThan(
      titles.indexOf('Target table (provision)'),
    );
    const indexes = screen.getByRole('region', {
      name: 'Indexes built after the copy',
    });
    await waitFor(() =>
      expect(indexes).toHaveTextContent(
        'CREATE INDEX "customer_accounts_full_name"',
      ),
    );
    expect(within(indexes).getByRole('button')).toBeInTheDocument();
  });

  it('leaves the region out for a plan that builds its indexes with the table', async () => {
    await renderInPluginApp(<PlanArtifacts plan={plan()} />);
    expect(
      screen.getByRole('region', { name: 'Target table (provision)' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Indexes built after the copy' }),
    ).not.toBeInTheDocument();
  });
});
