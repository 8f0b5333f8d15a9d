import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// Issue 16, "any screen, any input": an axe scan (WCAG 2.1 AA) of every page of the
// suite, the keyboard path to Confirm in the review dialog, and a pass at phone and
// laptop sizes. Runs after the journey (playwright.config.ts), over the migrations,
// campaign and fleet it left behind.

const SHOTS = path.resolve(__dirname, '..', 'screenshots');
const AXE_REPORTS = path.resolve(__dirname, '..', '.cache', 'e2e-axe');

/** Finalized by the journey: its tab has history. */
const MIGRATED = 'customer-accounts';
/** Left alone by the journey and owned by the guest: Migrate opens the review. */
const UNTOUCHED = 'page-view-events';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Violations that come from Backstage components we cannot change and cannot work
 * around in our usage: each names the rule, the exact element and why. Empty means
 * none. A rule is never disabled as a whole.
 */
const EXCLUDED: Array<{ rule: string; target: RegExp; why: string }> = [];

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  fs.mkdirSync(AXE_REPORTS, { recursive: true });
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByText('Demo Data Platform Catalog').waitFor();
});

test.afterAll(async () => {
  await page.close();
});

const shot = (name: string) =>
  page.screenshot({
    path: path.join(SHOTS, `a11y-${name}.png`),
    fullPage: true,
  });

/**
 * Scans the page as shown, prints every violation (serious or not) and saves the
 * whole result; returns the critical and serious ones left after EXCLUDED.
 */
async function scan(name: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  fs.writeFileSync(
    path.join(AXE_REPORTS, `${name}.json`),
    JSON.stringify(results.violations, null, 2),
  );
  const blocking: string[] = [];
  for (const violation of results.violations) {
    const nodes = violation.nodes.filter(
      node =>
        !EXCLUDED.some(
          e => e.rule === violation.id && e.target.test(node.target.join(' ')),
        ),
    );
    if (nodes.length === 0) continue;
    const line = `[axe ${name}] ${violation.impact} ${violation.id} (${
      violation.help
    }): ${nodes.map(n => n.target.join(' ')).join(' | ')}`;
    // eslint-disable-next-line no-console
    console.log(line);
    if (violation.impact === 'critical' || violation.impact === 'serious') {
      blocking.push(line);
    }
  }
  return blocking;
}

async function expectNoSeriousViolations(name: string) {
  expect.soft(await scan(name), `critical or serious on ${name}`).toEqual([]);
}

async function openTab(dataset: string) {
  await page.goto(`/catalog/default/resource/${dataset}/migrations`);
  await page.getByText('Ownership').waitFor();
  await page.getByRole('button', { name: 'Migrate' }).waitFor();
}

/** Opens the review through Migrate and waits for the plan. */
async function openReview() {
  await page.getByRole('button', { name: 'Migrate' }).click();
  await page.getByText('Column mapping').waitFor();
  await expect(confirmButton()).toBeEnabled();
}

const confirmButton = () =>
  page.getByRole('dialog').getByRole('button', { name: 'Confirm and migrate' });

async function closeReview() {
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

async function openDashboard() {
  await page.goto('/dataset-migrations/migrations');
  await page.getByText('Success rate').waitFor();
  await page.getByRole('cell', { name: MIGRATED }).first().waitFor();
}

async function openDetail() {
  await openDashboard();
  await page.getByRole('link', { name: 'Open' }).first().click();
  await page.waitForURL(/\/dataset-migrations\/migrations\/[0-9a-f-]{36}$/);
  await page.getByText(/^Migration of/).waitFor();
  await page.getByRole('region', { name: 'event log' }).waitFor();
}

test.describe('axe finds no critical or serious violation', () => {
  test("on a dataset's Migrations tab", async () => {
    await openTab(MIGRATED);
    await expectNoSeriousViolations('tab');
  });

  test('in the open review dialog', async () => {
    await openTab(UNTOUCHED);
    await openReview();
    await expectNoSeriousViolations('review-dialog');
    await closeReview();
  });

  test('on the history dashboard', async () => {
    await openDashboard();
    await expectNoSeriousViolations('dashboard');
  });

  test("on a migration's detail page", async () => {
    await openDetail();
    await expectNoSeriousViolations('detail');
  });

  test('on the fleet page', async () => {
    await page.goto('/dataset-migrations/fleet');
    await page
      .getByText(/^1 instance alive; \d+ of \d+ workers? busy\.$/)
      .waitFor();
    await expectNoSeriousViolations('fleet');
  });

  test('on the campaigns list and a campaign', async () => {
    await page.goto('/dataset-migrations/campaigns');
    const campaign = page.getByRole('link', {
      name: 'Order tables to snake_case',
    });
    await campaign.first().waitFor();
    await expectNoSeriousViolations('campaigns');
    await campaign.first().click();
    await page.getByText('Burndown', { exact: true }).waitFor();
    await expectNoSeriousViolations('campaign');
  });

  test('on the rollouts page', async () => {
    await page.goto('/dataset-migrations/rollouts');
    await page
      .getByRole('table', { name: 'agents' })
      .getByText('1.3.0 (stable)')
      .waitFor();
    await expectNoSeriousViolations('rollouts');
  });
});

/** What the element with focus is, and whether a person can see that it has it. */
async function focused() {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return undefined;
    const style = getComputedStyle(el);
    const hasOutline =
      style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    // MUI's ButtonBase marks keyboard focus with a pulsating ripple (focusRipple) or,
    // on contained buttons, a deeper shadow.
    const hasRipple = Boolean(el.querySelector('[class*="ripplePulsate"]'));
    const hasShadow =
      el.classList.contains('Mui-focusVisible') && style.boxShadow !== 'none';
    const isButton =
      el.tagName === 'BUTTON' || el.getAttribute('role') === 'button';
    return {
      label: (
        el.getAttribute('aria-label') ??
        el.textContent ??
        el.tagName
      ).trim(),
      isButton,
      isFocusVisible: hasOutline || hasRipple || hasShadow,
      isConfirm: el.textContent?.trim() === 'Confirm and migrate',
    };
  });
}

test.describe('keyboard', () => {
  // From the dialog's opening, Confirm is the focused element (0 stops) once the plan
  // is ready: a reviewer who has read the plan confirms with Enter. Two stops leave
  // room for a dialog whose Close comes first; the content (copy buttons, sortable
  // headers, links) must never stand in the way, as its 20-odd stops did.
  const MAX_STOPS_TO_CONFIRM = 2;

  test('reaches Confirm from the opening of the review in a few Tab stops', async () => {
    await openTab(UNTOUCHED);
    await page.getByRole('button', { name: 'Migrate' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Column mapping').waitFor();
    await expect(confirmButton()).toBeEnabled();
    const stops: string[] = [];
    const unseen: string[] = [];
    let now = await focused();
    while (!now?.isConfirm && stops.length < 40) {
      await page.keyboard.press('Tab');
      now = await focused();
      stops.push(now?.label ?? '(body)');
      if (now?.isButton && !now.isFocusVisible) unseen.push(now.label);
    }
    // eslint-disable-next-line no-console
    console.log(`[keyboard] Tab stops to Confirm: ${stops.length}`, stops);
    expect(now?.isConfirm, `Confirm never took focus: ${stops}`).toBe(true);
    expect(stops.length).toBeLessThanOrEqual(MAX_STOPS_TO_CONFIRM);
    expect(unseen, 'buttons focused without a visible mark').toEqual([]);
    await shot('keyboard-confirm-focused');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test("shows focus on every button of a dataset's tab", async () => {
    await openTab(MIGRATED);
    const unseen: string[] = [];
    const buttons: string[] = [];
    // Through the page's first 60 stops: the sidebar, the entity's tabs and the cards.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const now = await focused();
      if (!now?.isButton) continue;
      buttons.push(now.label);
      if (!now.isFocusVisible) unseen.push(now.label);
    }
    // eslint-disable-next-line no-console
    console.log('[keyboard] buttons on the tab', buttons);
    expect(buttons.length).toBeGreaterThan(0);
    expect(unseen, 'buttons focused without a visible mark').toEqual([]);
  });
});

/**
 * Visible text squeezed into a column narrower than ~2 characters: an element under
 * 40 px wide, holding a word of 7 letters or more, taller than one and a half lines.
 */
function letterWrapped() {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(
      document.body,
      NodeFilter.SHOW_TEXT,
    );
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      if (!text.split(/\s+/).some(word => word.length > 6)) continue;
      const el = n.parentElement;
      if (!el) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const lineHeight =
        parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
      if (rect.width < 40 && rect.height > 1.5 * lineHeight) {
        found.push(`${text.slice(0, 40)} (${Math.round(rect.width)} px wide)`);
      }
    }
    return found;
  });
}

/** Wider than the screen: what a person would have to scroll sideways to read. */
const overflow = () =>
  page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
  }));

for (const size of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 720 },
]) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    const isPhone = size.width < 600;

    test.beforeAll(async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
    });

    test.afterAll(async () => {
      await page.setViewportSize({ width: 1440, height: 1000 });
    });

    async function expectReadable(what: string) {
      expect
        .soft(await letterWrapped(), `${what}: letter by letter`)
        .toEqual([]);
      expect
        .soft((await overflow()).page, `${what}: px wider than the screen`)
        .toBeLessThanOrEqual(0);
      await shot(`${size.name}-${what}`);
    }

    test("the dataset's tab and the review dialog", async () => {
      await openTab(MIGRATED);
      await expectReadable('tab');
      await openTab(UNTOUCHED);
      await openReview();
      const dialog = page.getByRole('dialog');
      const paper = page.locator('.MuiDialog-paper');
      expect
        .soft(
          await paper.evaluate(el =>
            el.classList.contains('MuiDialog-paperFullScreen'),
          ),
          'the dialog takes the whole screen on a phone only',
        )
        .toBe(isPhone);
      // The dialog's own box never scrolls sideways (wide tables scroll inside).
      expect
        .soft(
          await paper.evaluate(el => el.scrollWidth - el.clientWidth),
          'dialog: px wider than its box',
        )
        .toBeLessThanOrEqual(0);
      await dialog.getByText('Column mapping').waitFor();
      await expectReadable('review-dialog');
      await closeReview();
    });

    test('the dashboard', async () => {
      await openDashboard();
      await expectReadable('dashboard');
    });

    test("a migration's detail", async () => {
      await openDetail();
      const stepper = page.locator('.MuiStepper-root').first();
      expect
        .soft(
          await stepper.evaluate(el =>
            el.classList.contains('MuiStepper-vertical'),
          ),
          'the stepper is vertical on a phone only',
        )
        .toBe(isPhone);
      await expectReadable('detail');
    });
  });
}
