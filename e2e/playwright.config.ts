import { defineConfig } from '@playwright/test';
import path from 'node:path';

/**
 * The browser end-to-end test of the demo, run by scripts/e2e.sh once the demo is
 * starting. Debian's Chromium drives it: `playwright install` is never needed.
 */
export default defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.ts',
  // One demo, one user's journey: the tests run in order on one page.
  workers: 1,
  retries: 0,
  // A migration runs for up to two minutes on a loaded machine.
  timeout: 5 * 60_000,
  // Playwright's 5 s for an assertion to come true is short for a page that waits on a
  // plan or preflight while the same 2 cores run the demo's backend, its databases and
  // the browser (CI ran the suite 60 % slower than a quiet machine and one wait failed).
  expect: { timeout: 30_000 },
  globalSetup: './waitForDemo.ts',
  outputDir: path.resolve(__dirname, '..', '.cache', 'e2e-output'),
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.E2E_PLAYWRIGHT_JSON ??
          path.resolve(__dirname, '..', '.cache', 'e2e-playwright.json'),
      },
    ],
  ],
  use: {
    baseURL: process.env.E2E_APP_URL ?? 'http://localhost:3000',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
  },
});
