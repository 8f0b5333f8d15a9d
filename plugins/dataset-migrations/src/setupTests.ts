import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy/waitFor wait for a condition, they assert no timing: a loaded CI machine
// may need more than the default second to lazy-load the first table of a file.
configure({ asyncUtilTimeout: 3000 });
