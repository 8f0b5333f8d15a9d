import '@testing-library/jest-dom';

// Runs beside the database tests in CI: booting the whole app in jsdom on a loaded
// machine can take longer than jest's default five seconds.
jest.setTimeout(60_000);
