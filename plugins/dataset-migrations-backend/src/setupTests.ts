// The repository's suites run side by side on a small machine: a test that starts a
// backend or opens database pools can take longer than jest's default five seconds
// while the others load both cores. Tests that need more set their own.
jest.setTimeout(60_000);
export {};
