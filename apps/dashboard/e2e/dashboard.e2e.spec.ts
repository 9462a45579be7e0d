import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The dashboard in a real browser against the real stack (`tools/start.ts`: Temporal dev server,
 * migrations, worker, production Next build) on free ports with a temp data dir: sign in, create
 * a small synthetic sweep in the form, watch it finish, tick two trials, compare them, export
 * CSV. Every page is screenshotted to apps/dashboard/test-artifacts/ and checked for content and
 * horizontal overflow. Needs Chromium: `bash .ci/chromium.sh` installs Debian's.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const chromiumPath = process.env.RETUNE_CHROMIUM ?? '/usr/bin/chromium';
const ADMIN = { email: 'e2e@localhost', password: 'e2e-test-password' };
const SWEEP_NAME = 'e2e synthetic sweep';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stack: { base: string; output: () => string; stop: () => Promise<void> } | undefined;
let browser: Browser | undefined;
let page: Page;

async function startStack() {
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'retune-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/start.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      RETUNE_DATA_DIR: dataDir,
      DATABASE_URL: `file:${join(dataDir, 'retune.db')}`,
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      RETUNE_DASHBOARD_DIST: '.next-e2e',
      RETUNE_DEMO: '0',
      RETUNE_SLOTS: '2',
      RETUNE_ADMIN_EMAIL: ADMIN.email,
      RETUNE_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const deadline = Date.now() + 420_000;
  while (!output.includes('dashboard:    http://')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGINT');
      throw new Error(`the stack did not come up:\n${output}`);
    }
    await sleep(250);
  }
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await Promise.race([exited, sleep(30_000)]);
    },
  };
}

/** Saves a full-page screenshot and fails on a blank page or one wider than the window. */
async function snap(name: string) {
  await page.waitForLoadState('networkidle').catch(() => {});
  const { overflow, text } = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    text: document.querySelector('main')?.textContent?.trim().length ?? 0,
  }));
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  expect(overflow, `${name}: page is ${overflow}px wider than the window`).toBeLessThanOrEqual(0);
  expect(text, `${name}: page has no content`).toBeGreaterThan(20);
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: run bash .ci/chromium.sh (or set RETUNE_CHROMIUM)`,
    );
  }
  mkdirSync(artifacts, { recursive: true });
  // RETUNE_E2E_BASE_URL reuses a stack started by hand (same admin credentials) while iterating.
  const reuse = process.env.RETUNE_E2E_BASE_URL;
  stack = reuse
    ? { base: reuse, output: () => '(stack started outside the test)', stop: async () => {} }
    : await startStack();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('dashboard in a browser', () => {
  it('creates a sweep in the form, watches it finish, compares two trials and exports CSV', async () => {
    const base = stack!.base;

    // Sign in when the dashboard has a sign-in page (auth); otherwise the pages are open.
    const signIn = await page.goto(`${base}/sign-in`);
    if (signIn?.status() === 200 && (await page.locator('input[name=email]').count()) > 0) {
      await snap('00-sign-in');
      await page.fill('input[name=email]', ADMIN.email);
      await page.fill('input[name=password]', ADMIN.password);
      // Sign-in lands on the sweeps page by itself (no bounce back to /sign-in).
      await Promise.all([
        page.waitForURL(`${base}/`, { timeout: 30_000 }),
        page.click('button[type=submit]'),
      ]);
    } else {
      await page.goto(`${base}/`);
    }

    await expect(page.locator('h1').first().textContent()).resolves.toBe('Sweeps');
    await snap('01-sweeps-empty');

    // The form: a small random sweep with the synthetic trainer.
    await page.goto(`${base}/sweeps/new`);
    await page.getByLabel('Name', { exact: true }).first().fill(SWEEP_NAME);
    await page.getByLabel('Trainer').selectOption('synthetic');
    await page.getByLabel('Algorithm').selectOption('random');
    await page.getByLabel('Early stopping').selectOption('none');
    await page.getByLabel('Max trials').fill('6');
    await page.getByLabel('In parallel').fill('2');
    await page.getByLabel('Fixed params').fill('epochs: 4\nsleepMs: 150');
    // A bad value is named next to its field, from the shared schema, and blocks launching.
    const headLrMin = page.locator('[aria-label^="parameter 1"] input').nth(1);
    await headLrMin.fill('0');
    await page.getByText('loguniform needs min > 0').first().waitFor();
    expect(await page.getByRole('button', { name: 'Launch sweep' }).isDisabled()).toBe(true);
    await snap('02-new-sweep-invalid');
    await headLrMin.fill('0.0001');
    // The YAML view follows the form, and the form follows the YAML: add a second objective
    // (the form has no field for it; it must survive the round trip to the launch).
    const yamlBox = page.locator('#spec-yaml');
    const yaml = await yamlBox.inputValue();
    expect(yaml).toContain('maxTrials: 6');
    expect(yaml).toContain('name: synthetic');
    await yamlBox.fill(
      yaml.replace(
        'maxTrials: 6',
        'maxTrials: 6\nobjectives:\n  - name: trainable_params\n    goal: minimize',
      ),
    );
    await page.getByLabel('Max trials').fill('6');
    expect(await yamlBox.inputValue()).toContain('goal: minimize');
    expect(await page.getByLabel('Trainer').inputValue()).toBe('synthetic');
    await page.getByText('6 trials planned').waitFor();
    await snap('03-new-sweep');
    await page.getByRole('button', { name: 'Launch sweep' }).click();
    await page.waitForURL(/\/sweeps\/sw_[a-z0-9]+$/);
    const sweepId = /sw_[a-z0-9]+/.exec(page.url())![0];

    // Live updates until the sweep is done.
    const badge = page.locator('.title-row .badge');
    const deadline = Date.now() + 240_000;
    while ((await badge.textContent()) !== 'completed') {
      if (Date.now() > deadline) throw new Error(`sweep never completed:\n${stack!.output()}`);
      await sleep(1000);
    }
    await page.getByText('6/6').first().waitFor();
    expect(await page.locator('tbody tr').count()).toBe(6);
    // Curves and parallel coordinates are drawn (canvas), the Temporal link is there.
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(`a[href*="/workflows/"]`).getAttribute('href')).toContain(sweepId);
    // Two objectives: the Pareto front is drawn.
    await page.getByRole('heading', { name: 'Pareto front' }).waitFor();
    await page.locator('.chart').first().hover();
    await snap('04-sweep-detail');

    // Sorting by the objective puts the best (★) trial first.
    await page.getByRole('button', { name: /^val_acc/ }).click(); // objective sorts best first
    await expect(page.locator('tbody tr').first().getAttribute('class')).resolves.toBe('best');

    // Tick two trials → Compare.
    const boxes = page.locator('tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Compare 2 trials' }).click();
    await page.waitForURL(/\/compare\?trials=/);
    const ids = decodeURIComponent(new URL(page.url()).searchParams.get('trials')!).split(',');
    expect(ids).toHaveLength(2);
    await page.getByRole('heading', { name: 'Compare 2 trials' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await snap('05-compare');

    // CSV export: a header and one row per compared trial, in the URL's order.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(
      /^trial_id,sweep_id,sweep_name,number,status,objective_metric,objective,duration_ms,param\./,
    );
    expect(csv[0]).toContain('metric.val_acc');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual(
      ids.map((id) => [id, sweepId, SWEEP_NAME]),
    );
    expect(csv.slice(1).every((l) => l.split(',')[4] === 'completed')).toBe(true);

    // The trial page.
    await page.locator('thead a').first().click();
    await page.waitForURL(/\/trials\//);
    await page.getByRole('heading', { name: 'Parameters' }).waitFor();
    await snap('06-trial');

    // Promote it to a model version, as champion; the models page shows it with its lineage.
    await page.getByLabel('Task').fill('e2e-digits');
    await page.getByLabel('make it the champion').check();
    await page.getByRole('button', { name: 'Promote to model version' }).click();
    await page.getByText('registered as e2e-digits v1 (champion)').waitFor();
    await page.goto(`${base}/models`);
    await page.getByText('e2e-digits').first().waitFor();
    await snap('08-models');
    await page.goto(`${base}/schedules`);
    await page.locator('h1').first().waitFor();
    await snap('09-schedules');

    // The list, filtered through the URL.
    await page.goto(`${base}/?status=completed&q=e2e`);
    await page.getByRole('link', { name: SWEEP_NAME }).waitFor();
    await snap('07-sweeps-filtered');
    await page.goto(`${base}/?status=failed`);
    await page.getByText('No sweep matches this filter.').waitFor();

    // Users (admins): create a member and grant it promotion on the e2e tasks.
    const memberEmail = `member-${Date.now()}@e2e.test`;
    await page.goto(`${base}/users`);
    const create = page.getByRole('form', { name: 'create user' });
    await create.getByLabel('email').fill(memberEmail);
    await create.getByLabel('initial password').fill('member-password');
    await create.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByRole('row').filter({ hasText: memberEmail });
    await row.getByLabel('task').fill('e2e-*');
    await row.getByRole('button', { name: 'Grant' }).click();
    await row.getByRole('button', { name: 'e2e-* ×' }).waitFor();
    await snap('10-users');

    // Account: the form checks a new password before sending it (a real change would sign out).
    await page.goto(`${base}/account`);
    await page.getByLabel('Current password').fill(ADMIN.password);
    await page.getByLabel('New password (at least 8 characters)').fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('password: at least 8 characters').waitFor();
    await snap('11-account');

    // The member sees no Users page or link; the server would refuse it anyway.
    const memberPage = await page.context().browser()!.newPage();
    try {
      await memberPage.goto(`${base}/sign-in`);
      await memberPage.fill('input[name=email]', memberEmail);
      await memberPage.fill('input[name=password]', 'member-password');
      await Promise.all([
        memberPage.waitForURL(`${base}/`),
        memberPage.click('button[type=submit]'),
      ]);
      expect(await memberPage.getByRole('link', { name: 'Users' }).count()).toBe(0);
      await memberPage.goto(`${base}/users`);
      await memberPage.waitForURL(`${base}/`);
    } finally {
      await memberPage.close();
    }
  });
});
