/* eslint-disable no-console */
// Browser end-to-end test of the demo: as the guest, migrate a dataset the guest owns
// from its catalog page through review, live progress and finalize, then find it on
// the dashboard, open its detail page and the fleet; on a dataset the guest does not
// own, Migrate is disabled.
// Run by scripts/e2e.sh (which starts the demo); writes jest-style totals to argv[2].
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const APP = process.env.E2E_APP_URL ?? 'http://localhost:3000';
const SHOTS = path.resolve(__dirname, '..', 'screenshots');
const report = process.argv[2];
const results = [];

async function waitForApp() {
  for (let i = 0; i < 240; i++) {
    try {
      const [app, backend] = await Promise.all([
        fetch(APP).then(r => r.status),
        fetch('http://localhost:7007/api/dataset-migrations/health').then(
          r => r.status,
        ),
      ]);
      if (app === 200 && backend === 200) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    'The demo did not come up on :3000 and :7007 within 4 minutes',
  );
}

/**
 * The catalog ingests the demo entities some time after the backend answers, more so on
 * a loaded machine. A guest token carries the groups the catalog knew when it was
 * issued, so the browser signs in only once the catalog knows the guest's groups and
 * the dataset the test opens.
 */
async function waitForCatalog() {
  const backend = 'http://localhost:7007/api';
  for (let i = 0; i < 240; i++) {
    try {
      const refresh = await fetch(`${backend}/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      }).then(r => r.json());
      const headers = {
        Authorization: `Bearer ${refresh.backstageIdentity.token}`,
      };
      const [guest, dataset] = await Promise.all(
        ['user/default/guest', 'resource/default/customer-accounts'].map(ref =>
          fetch(`${backend}/catalog/entities/by-name/${ref}`, {
            headers,
          }).then(r => (r.ok ? r.json() : undefined)),
        ),
      );
      const isMember = (guest?.relations ?? []).some(
        r => r.type === 'memberOf',
      );
      if (isMember && dataset) return;
    } catch {
      // not ready yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    'The catalog did not ingest the demo entities (the guest and customer-accounts) within 4 minutes',
  );
}

async function step(name, page, work) {
  const started = Date.now();
  try {
    await work();
    results.push({ name, status: 'passed' });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, status: 'failed', error: e.message });
    console.log(`  ✕ ${name}: ${e.message}`);
    await page
      .screenshot({
        path: path.join(SHOTS, `failed-${results.length}.png`),
        fullPage: true,
      })
      .catch(() => {});
    throw e;
  }
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  await waitForApp();
  await waitForCatalog();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
  });
  page.setDefaultTimeout(60_000);
  const shot = name =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  try {
    await step('signs in as the guest', page, async () => {
      await page.goto(APP);
      await page.getByRole('button', { name: 'Enter' }).click();
      await page.getByText('Demo Data Platform Catalog').waitFor();
    });
    await step(
      'opens an owned dataset and sees owners and consumers',
      page,
      async () => {
        await page.goto(
          `${APP}/catalog/default/resource/customer-accounts/migrations`,
        );
        await page.getByText('Ownership').waitFor();
        await page.getByText('Ada Lovelace').waitFor();
        await page.getByText('billing-service').first().waitFor();
        await shot('1-dataset-tab');
      },
    );
    await step('reviews the generated plan', page, async () => {
      await page.getByRole('button', { name: 'Migrate' }).click();
      await page.getByText('Review the migration plan').waitFor();
      await page.getByText('Column mapping').waitFor();
      const confirm = page.getByRole('button', { name: 'Confirm and migrate' });
      await confirm.waitFor();
      if (await confirm.isDisabled())
        throw new Error('Confirm is disabled for a clean plan');
      await shot('2-plan-review');
    });
    await step(
      'confirms and watches it reach awaiting_cleanup',
      page,
      async () => {
        await page.getByRole('button', { name: 'Confirm and migrate' }).click();
        await page.getByText('Current migration').waitFor();
        await page
          .getByText('awaiting cleanup')
          .first()
          .waitFor({ timeout: 120_000 });
        await page.getByRole('button', { name: 'Finalize' }).waitFor();
        // The event log streams over server-sent events, a moment after the status.
        await page.getByRole('list', { name: 'event log' }).waitFor();
        await shot('3-live-awaiting-cleanup');
      },
    );
    await step(
      'finalizes and sees it completed in the history',
      page,
      async () => {
        await page.getByRole('button', { name: 'Finalize' }).click();
        await page
          .getByRole('dialog')
          .getByRole('button', { name: 'Finalize' })
          .click();
        await page.getByText('completed').first().waitFor({ timeout: 120_000 });
        await page
          .getByText('Current migration')
          .waitFor({ state: 'detached', timeout: 120_000 });
        await shot('4-history-completed');
      },
    );
    await step('finds it completed on the dashboard', page, async () => {
      await page.goto(`${APP}/dataset-migrations`);
      await page.getByText('Success rate').waitFor();
      await page
        .getByRole('cell', { name: 'resource:default/customer-accounts' })
        .first()
        .waitFor();
      await page.getByText('completed').first().waitFor();
      await shot('5-dashboard');
    });
    await step(
      "opens the migration's detail page and the fleet",
      page,
      async () => {
        await page.getByRole('link', { name: 'Open' }).first().click();
        await page.waitForURL(
          /\/dataset-migrations\/migrations\/[0-9a-f-]{36}$/,
        );
        const id = page.url().split('/').pop();
        await page.getByText(`Migration ${id}`).waitFor();
        await page.getByRole('list', { name: 'event log' }).waitFor();
        await shot('6-migration-detail');
        await page.getByRole('tab', { name: 'Fleet' }).click();
        await page.getByText(/^Workers \(\d+ on 1 instance\)$/).waitFor();
        await page.getByText('warehouse', { exact: true }).waitFor();
        await shot('7-fleet');
      },
    );
    await step(
      'sees Migrate disabled on a dataset the guest does not own',
      page,
      async () => {
        await page.goto(
          `${APP}/catalog/default/resource/product-catalog/migrations`,
        );
        await page
          .getByText('Only the owners of this dataset can migrate it.')
          .waitFor();
        if (
          !(await page.getByRole('button', { name: 'Migrate' }).isDisabled())
        ) {
          throw new Error('Migrate is enabled for a non-owner');
        }
        await shot('8-not-owner');
      },
    );
  } catch {
    // recorded in results
  } finally {
    await browser.close();
  }
  const failed = results.filter(r => r.status === 'failed').length;
  const summary = {
    numPassedTests: results.length - failed,
    numFailedTests: failed,
    numPendingTests: 0,
    results,
  };
  if (report) fs.writeFileSync(report, JSON.stringify(summary, null, 2));
  console.log(`e2e: ${summary.numPassedTests} passed, ${failed} failed`);
  process.exit(failed || results.length < 8 ? 1 : 0);
}

main().catch(e => {
  console.error(e);
  if (report)
    fs.writeFileSync(
      report,
      JSON.stringify({
        numPassedTests: 0,
        numFailedTests: 1,
        numPendingTests: 0,
      }),
    );
  process.exit(1);
});
