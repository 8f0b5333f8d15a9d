import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy/waitFor wait for a condition, they assert no timing: a loaded CI machine
// may need more than the default second to lazy-load the first table of a file.
configure({ asyncUtilTimeout: 10_000 });
// The repository's tests run side by side: while the database tests load both cores,
// rendering a whole page in jsdom can take longer than jest's default five seconds.
jest.setTimeout(60_000);

// jsdom lays nothing out: the LogViewer's auto-sizer gets a size, so its lines render.
jest.mock('react-virtualized-auto-sizer', () => ({
  __esModule: true,
  default: ({
    children,
  }: {
    children: (size: { width: number; height: number }) => JSX.Element;
  }) => children({ width: 800, height: 320 }),
}));
