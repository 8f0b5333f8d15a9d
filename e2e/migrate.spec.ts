import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';

// As the guest, migrate a dataset the guest owns from its catalog page through review,
// live progress and finalize, then find it on the dashboard, open its detail page and
// the fleet; on a dataset the guest does not own, Migrate is disabled.

const SHOTS = path.resolve(__dirname, '..', 'screenshots');

// Each test goes on from where the one before left the page: a failure skips the rest.
test.describe.configure({ mode: 'serial' });

let page: Page;
let stepNumber = 0;

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
});

test.afterAll(async () => {
  await page.close();
});

test.beforeEach(() => {
  stepNumber += 1;
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await shot(`failed-${stepNumber}`).catch(() => {});
  }
});

test('signs in as the guest', async () => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByText('Demo Data Platform Catalog').waitFor();
});

test('opens an owned dataset and sees owners and consumers', async () => {
  await page.goto('/catalog/default/resource/customer-accounts/migrations');
  await page.getByText('Ownership').waitFor();
  await page.getByText('Ada Lovelace').waitFor();
  await page.getByText('billing-service').first().waitFor();
  await shot('1-dataset-tab');
});

test('reviews the generated plan', async () => {
  await page.getByRole('button', { name: 'Migrate' }).click();
  await page.getByText('Review the migration plan').waitFor();
  await page.getByText('Column mapping').waitFor();
  const confirm = page.getByRole('button', { name: 'Confirm and migrate' });
  await confirm.waitFor();
  expect(
    await confirm.isDisabled(),
    'Confirm is disabled for a clean plan',
  ).toBe(false);
  await shot('2-plan-review');
});

test('confirms and watches it reach awaiting_cleanup', async () => {
  await page.getByRole('button', { name: 'Confirm and migrate' }).click();
  await page.getByText('Current migration').waitFor();
  await page
    .getByText('awaiting cleanup')
    .first()
    .waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Finalize' }).waitFor();
  // The event log streams over server-sent events, a moment after the status.
  await page
    .getByRole('region', { name: 'event log' })
    .getByText(/\[cutover\] cutover succeeded/)
    .waitFor();
  await shot('3-live-awaiting-cleanup');
});

test("sees a demo consumer's verified patch with its parity evidence", async () => {
  // The migration checked the dataset's consumers by itself once cut over: the
  // compliance reporter's query over customerAccounts is rewritten and proven.
  const consumers = page.getByRole('region', {
    name: 'consumers',
    exact: true,
  });
  const reporter = consumers.getByRole('region', {
    name: 'consumer component:default/compliance-reporter',
    exact: true,
  });
  await reporter.waitFor({ timeout: 90_000 });
  await expect(reporter).toContainText('patched and verified');
  await expect(reporter).toContainText(/\d+ verified by parity/);
  // The diff takes the old name out and puts the new one in; the statement that does
  // not read the dataset stays as it was.
  const file = reporter.getByRole('region', {
    name: 'access_report.sql',
    exact: true,
  });
  await expect(file).toContainText('-FROM "customerAccounts"');
  await expect(file).toContainText('+FROM "customer_accounts"');
  await expect(file).toContainText(/old (\d+) row\(s\), new \1 row\(s\)/);
  await expect(
    file.getByRole('row').filter({ hasText: 'verified' }),
  ).toHaveCount(1);
  await reporter.screenshot({
    path: path.join(SHOTS, '3b-consumer-verified-patch.png'),
  });
});

/**
 * Finalizes the migration on the page shown. The demo's readers of each dataset still
 * name the old table: finalizing over them takes the explicit override (once the
 * consumer agent has checked them).
 */
async function finalizeHere() {
  await page.getByRole('button', { name: 'Finalize' }).click();
  const dialog = page.getByRole('dialog');
  const override = dialog.getByRole('checkbox', { name: /Finalize anyway/ });
  const isGated = await override
    .waitFor({ timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  if (isGated) await override.check();
  await dialog.getByRole('button', { name: 'Finalize' }).click();
}

test('finalizes and sees it completed in the history', async () => {
  await finalizeHere();
  await page.getByText('completed').first().waitFor({ timeout: 120_000 });
  await page
    .getByText('Current migration')
    .waitFor({ state: 'detached', timeout: 120_000 });
  await shot('4-history-completed');
});

test('sees the new home on the tab after finalize, and Migrate disabled saying why', async () => {
  const card = page.locator('.MuiCard-root', { hasText: 'Location' }).first();
  const status = card.getByRole('status');
  await expect(status).toContainText(
    'The table warehouse:customerAccounts is no longer here',
  );
  await expect(status).toContainText('it is now at warehouse:');
  await card
    .getByRole('button', { name: 'Copy the annotation line' })
    .waitFor();
  await expect(
    card.getByText(/^dataset-migrations\.io\/location: warehouse:/),
  ).toBeVisible();
  await expect(card.getByRole('button', { name: 'Migrate' })).toBeDisabled();
  await expect(
    card.getByText(/^The table was moved by migration /),
  ).toBeVisible();
  await shot('4b-dataset-tab-new-home');
});

test('finds it completed on the dashboard', async () => {
  await page.goto('/dataset-migrations');
  await page.getByText('Success rate').waitFor();
  await page.getByRole('cell', { name: 'customer-accounts' }).first().waitFor();
  await page.getByText('completed').first().waitFor();
  await shot('5-dashboard');
});

test("opens the migration's detail page and the fleet", async () => {
  await page.getByRole('link', { name: 'Open' }).first().click();
  await page.waitForURL(/\/dataset-migrations\/migrations\/[0-9a-f-]{36}$/);
  // Titled by its dataset and date, not by its id.
  await page.getByText(/^Migration of/).waitFor();
  await expect(page.getByText(/^Migration of/)).toContainText(
    'customer-accounts',
  );
  await page
    .getByRole('region', { name: 'event log' })
    .getByText(/\[cutover\] cutover succeeded/)
    .waitFor();
  await shot('6-migration-detail');
  await page.getByRole('tab', { name: 'Fleet' }).click();
  await page
    .getByText(/^1 instance alive; \d+ of \d+ workers? busy\.$/)
    .waitFor();
  await page.getByLabel('queue length').waitFor();
  await page.getByText('warehouse', { exact: true }).waitFor();
  await shot('7-fleet');
});

test('sees Migrate disabled on a dataset the guest does not own', async () => {
  await page.goto('/catalog/default/resource/product-catalog/migrations');
  await page
    .getByText('Only the owners of this dataset can migrate it.')
    .waitFor();
  expect(
    await page.getByRole('button', { name: 'Migrate' }).isDisabled(),
    'Migrate is enabled for a non-owner',
  ).toBe(true);
  await shot('8-not-owner');
});

// Issue 12: a campaign over the guest's two order datasets (customer-accounts moved
// above; product-catalog is not the guest's). SQLite plans carry a warning (the old
// name becomes a read-only view), so the owners approve each plan on its tab.
const CAMPAIGN = 'Order tables to snake_case';
const CAMPAIGN_DATASETS = ['sales-orders', 'order-lines'];
let campaignUrl = '';

test('previews and creates a campaign over the owned order datasets', async () => {
  await page.goto('/dataset-migrations/campaigns');
  await page.getByRole('button', { name: 'New campaign' }).click();
  const dialog = page.getByRole('dialog');
  const field = (name: string | RegExp) =>
    dialog.getByRole('textbox', { name });
  await field(/^Name/).first().fill(CAMPAIGN);
  await field('Owners').fill('group:default/data-platform');
  await field('Connections').fill('warehouse');
  await field('Name glob').fill('*order*');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const dryRun = dialog.getByRole('region', { name: 'dry run' });
  await dryRun
    .getByText("2 would wait for their owners' approval.", { exact: false })
    .waitFor({ timeout: 120_000 });
  await shot('9-campaign-preview');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/dataset-migrations\/campaigns\/[0-9a-f-]{36}$/);
  campaignUrl = page.url();
  await page.getByText('0 of 2 datasets finished.').waitFor();
  await shot('10-campaign-created');
});

for (const name of CAMPAIGN_DATASETS) {
  test(`approves the campaign's plan on ${name}`, async () => {
    await page.goto(`/catalog/default/resource/${name}/migrations`);
    const card = page.getByRole('group', { name: `campaign ${CAMPAIGN}` });
    // The campaign plans its datasets in the background, a moment after creation.
    await expect(async () => {
      await page.reload();
      await card
        .getByRole('button', { name: 'Review and approve' })
        .waitFor({ timeout: 5_000 });
    }).toPass({ timeout: 120_000 });
    await card.getByRole('button', { name: 'Review and approve' }).click();
    await page.getByText('Review the migration plan').waitFor();
    await page.getByText('Column mapping').waitFor();
    await shot(`11-campaign-approve-${name}`);
    await page.getByRole('button', { name: 'Approve this plan' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await card.getByText(/approved by/).waitFor();
  });
}

test("watches the campaign's burndown reach zero remaining", async () => {
  await page.goto(campaignUrl || '/dataset-migrations/campaigns');
  if (!campaignUrl) {
    await page.getByRole('link', { name: CAMPAIGN }).first().click();
  }
  await page.getByText('Burndown', { exact: true }).waitFor();
  // Each migration stops at awaiting cleanup (the demo keeps the compatibility layer a
  // day): the admin finalizes them all from the campaign once both are there.
  const finalizeAll = page.getByRole('button', {
    name: 'Finalize all awaiting cleanup',
  });
  const counts = page.getByLabel('datasets by state');
  await expect(counts).toContainText(/awaiting cleanup\s*2/, {
    timeout: 240_000,
  });
  await shot('12-campaign-awaiting-cleanup');
  await finalizeAll.click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Finalize all awaiting cleanup' })
    .click();
  // Finalize all skips datasets whose consumers still read the old name (the demo's
  // query files do): each of those is finalized on its own tab, over the override.
  await page.getByText(/Finalize all awaiting cleanup: done/).waitFor();
  for (const name of CAMPAIGN_DATASETS) {
    // Until the dataset's migration reads completed: finalize it here when Finalize
    // all left it (a reload at each round, since a loaded machine may show the tab's
    // live card late, or show the migration still cleaning up).
    await expect(async () => {
      await page.goto(`/catalog/default/resource/${name}/migrations`);
      const finalize = page.getByRole('button', { name: 'Finalize' });
      const completed = page.getByText('completed', { exact: true }).first();
      await expect(finalize.or(completed).first()).toBeVisible({
        timeout: 20_000,
      });
      if (await finalize.isVisible()) await finalizeHere();
      await expect(completed).toBeVisible({ timeout: 30_000 });
    }).toPass({ timeout: 240_000 });
  }
  await page.goto(campaignUrl);
  await page
    .getByText('2 of 2 datasets finished.')
    .waitFor({ timeout: 180_000 });
  await page
    .getByText(/^0 datasets remaining, down from 2/)
    .waitFor({ timeout: 60_000 });
  await shot('13-campaign-burndown-zero');
});

// Issue 13: the agents and their rollouts, and the fleet's instances and workers.
test('opens the Rollouts page with the SQL agent versions', async () => {
  await page.goto('/dataset-migrations/rollouts');
  const agents = page.getByRole('table', { name: 'agents' });
  await agents.getByText('1.3.0 (stable)').waitFor();
  await agents.getByText('1.4.0', { exact: true }).waitFor();
  await shot('14-rollouts');
});

test('opens the Fleet page with its instances and workers', async () => {
  await page.goto('/dataset-migrations/fleet');
  await page.getByText('Instances', { exact: true }).first().waitFor();
  await page.getByText('Workers', { exact: true }).first().waitFor();
  await page
    .getByText(/^1 instance alive; \d+ of \d+ workers? busy\.$/)
    .waitFor();
  await shot('15-fleet-instances-workers');
});
