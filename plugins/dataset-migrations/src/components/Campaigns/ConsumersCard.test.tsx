import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ConsumersCard } from './ConsumersCard';

describe('ConsumersCard', () => {
  it('counts the consumers repointed out of all checked, and each status', async () => {
    await renderInTestApp(
      <ConsumersCard
        consumers={{
          total: 1234,
          verified: 200,
          needsReview: 34,
          repointed: 1000,
          prOpen: 0,
        }}
      />,
    );
    expect(screen.getByLabelText('consumers repointed')).toHaveTextContent(
      '1,000 of 1,234 consumers repointed.',
    );
    const byStatus = screen.getByLabelText('consumers by status');
    const terms = within(byStatus).getAllByRole('term');
    const values = within(byStatus).getAllByRole('definition');
    expect(
      terms.map((t, i) => `${t.textContent}: ${values[i].textContent}`),
    ).toEqual([
      'already repointed: 1,000',
      'pull request open: 0',
      'patched and verified: 200',
      'needs a person: 34',
    ]);
  });

  it('says when no consumer has been checked yet', async () => {
    await renderInTestApp(
      <ConsumersCard
        consumers={{
          total: 0,
          verified: 0,
          needsReview: 0,
          repointed: 0,
          prOpen: 0,
        }}
      />,
    );
    expect(screen.getByLabelText('consumers repointed')).toHaveTextContent(
      'No consumers checked yet',
    );
  });
});
