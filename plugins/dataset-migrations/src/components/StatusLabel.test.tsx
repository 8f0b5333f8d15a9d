import { screen } from '@testing-library/react';
import { renderInPluginApp } from '../__testUtils__/renderInPluginApp';
import { StatusLabel } from './StatusLabel';

describe('StatusLabel', () => {
  // Core's status components name their kind in an aria-label ("Status ok", …).
  it.each([
    ['awaiting_cleanup', 'Status ok'],
    ['completed', 'Status ok'],
    ['failed', 'Status error'],
    ['rolled_back', 'Status aborted'],
  ] as const)('draws %s as %s', async (status, kind) => {
    renderInPluginApp(<StatusLabel status={status} />);
    expect(await screen.findByLabelText(kind)).toHaveTextContent(
      status.replaceAll('_', ' '),
    );
  });

  it('never draws a migration that awaits cleanup as a warning', async () => {
    renderInPluginApp(<StatusLabel status="awaiting_cleanup" />);
    await screen.findByText('awaiting cleanup');
    expect(screen.queryByLabelText('Status warning')).not.toBeInTheDocument();
  });
});
