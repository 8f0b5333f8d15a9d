import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import path from 'node:path';

// As the guest, migrate a table large enough to take several seconds: the review closes
// at once, the live card takes the focus and says the current step while the copy
// runs, the backend keeps answering, and Cancel stops the migration.

const SHOTS = path.resolve(__dirname, '..', 'screenshots');
const BACKEND = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
// scripts/e2e.sh runs the demo on a private data folder.
const WAREHOUSE = path.join(
  process.env.DM_DATA_DIR ?? path.resolve(__dirname, '..', 'data'),
  'demo',
  'warehouse.sqlite',
);
// The demo seeds 120,000 page views; the test adds these and removes them after.
const SEEDED = 120_000;
const ADDED = 3_000_000;

test.describe.configure({ mode: 'serial' });

let page: Page;

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

function withWarehouse(work: (db: Database.Database) => void) {
  const db = new Database(WAREHOUSE, { fileMustExist: true, timeout: 30_000 });
  try {
    work(db);
  } finally {
    db.close();
  }
}

test.beforeAll(async ({ browser }) => {
  withWarehouse(db =>
    db.exec(`WITH RECURSIVE n(i) AS (
        SELECT ${SEEDED + 1} UNION ALL SELECT i + 1 FROM n WHERE i < ${
      SEEDED + ADDED
    })
      INSERT INTO "pageViewEvents"
      SELECT i, printf('%08x-%08x-%08x-%08x', i, i * 7, i * 13, i * 31), '/catalog',
        '2024-06-01 10:00:00', i % 120000, NULL FROM n`),
  );
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
});

test.afterAll(async () => {
  await page.close();
  withWarehouse(db =>
    db.exec(`DELETE FROM "pageViewEvents" WHERE "eventId" > ${SEEDED}`),
  );
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await shot(`failed-live-progress-${testInfo.title.slice(0, 30)}`).catch(
      () => {},
    );
  }
});

test('signs in as the guest', async () => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByText('Demo Data Platform Catalog').waitFor();
});

test('closes the review at once and moves focus to the live card', async () => {
  await page.goto('/catalog/default/resource/page-view-events/migrations');
  const migrate = page.getByRole('button', { name: 'Migrate' });
  await expect(migrate).toBeEnabled();
  await migrate.click();
  await page
    .getByRole('button', { name: 'Confirm and migrate' })
    .click({ timeout: 120_000 });
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  const card = page.getByRole('region', { name: 'Live migration' });
  await expect(card).toBeFocused();
  await expect(card.getByRole('status')).toHaveAttribute('aria-live', 'polite');
});

test('shows live progress mid-copy while the backend keeps answering', async () => {
  const card = page.getByRole('region', { name: 'Live migration' });
  await expect(card.getByRole('status')).toHaveText(
    'Running step 3 of 7: copy',
    { timeout: 120_000 },
  );
  const health = await fetch(`${BACKEND}/api/dataset-migrations/health`);
  expect(health.status).toBe(200);
  await shot('live-progress-mid-copy');
});

test('cancels the migration while it copies', async () => {
  const card = page.getByRole('region', { name: 'Live migration' });
  await card.getByRole('button', { name: 'Cancel' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  // Cancelled is final: the live card goes, the history says so, Migrate is open again.
  await expect(card).toHaveCount(0, { timeout: 120_000 });
  await expect(
    page.getByRole('row').filter({ hasText: 'cancelled' }).first(),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Migrate' })).toBeEnabled();
  await shot('live-progress-cancelled');
});
