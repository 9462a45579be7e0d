import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './env';
import { DEMO_SWEEP } from './lib/demo-sweep';

/**
 * The quickstart's `npm start`, for real: the embedded stack comes up on spare ports, the demo
 * sweep (real tfjs fine-tuning) finishes and shows in the dashboard, and Ctrl-C (SIGINT) stops
 * every process.
 */
const PORT = 3197;
const TEMPORAL_PORT = 7397;

const ADMIN = { email: 'smoke@localhost', password: 'smoke-test-password' };
const base = `http://127.0.0.1:${PORT}`;

/** Signs in through the API as a browser would; returns the session cookie to send back. */
async function signIn(): Promise<string> {
  const res = await fetch(`${base}/api/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(res.status).toBe(200);
  const cookie = /retune_session=[^;]+/.exec(res.headers.getSetCookie().join('\n'))?.[0];
  expect(cookie).toBeDefined();
  return cookie!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('runs the demo sweep end to end and stops everything on Ctrl-C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retune-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/start.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        RETUNE_DATA_DIR: dataDir,
        DATABASE_URL: `file:${join(dataDir, 'retune.db')}`,
        PORT: String(PORT),
        TEMPORAL_PORT: String(TEMPORAL_PORT),
        TEMPORAL_UI_PORT: '8397',
        RETUNE_DASHBOARD_DIST: '.next-smoke',
        RETUNE_ADMIN_EMAIL: ADMIN.email,
        RETUNE_ADMIN_PASSWORD: ADMIN.password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // 'close', not 'exit': it fires only after stdout is drained, so the last log lines are in.
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));

    try {
      // The demo sweep trains for real (tfjs, EfficientNet-Lite0 @32: 2–3 min on 2 cores, its
      // base fetched at first use): allow for a first dashboard build and a busy CI.
      const deadline = Date.now() + 600_000;
      let sweepId: string | undefined;
      while (!(sweepId = /launched the demo sweep (sw_[a-z0-9]+)/.exec(output)?.[1])) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`demo sweep never launched:\n${output}`);
        await sleep(250);
      }
      const pids = [...output.matchAll(/started (\w+) \(pid (\d+)\)/g)].map((m) => Number(m[2]));
      expect(pids.length).toBe(3); // temporal, worker, dashboard
      expect(output).toContain(`created the admin account ${ADMIN.email}`);
      expect(output).not.toContain(ADMIN.password);

      // Auth is on: anonymous visitors are sent to sign in, the API answers 401.
      const anonymousPage = await fetch(`${base}/sweeps/${sweepId}`, { redirect: 'manual' });
      expect(anonymousPage.status).toBe(307);
      expect(anonymousPage.headers.get('location')).toMatch(/\/sign-in\?next=%2Fsweeps%2Fsw_/);
      const getSweep = `${base}/api/trpc/sweep.get?input=${encodeURIComponent(JSON.stringify({ id: sweepId }))}`;
      expect((await fetch(getSweep)).status).toBe(401);
      expect((await fetch(`${base}/sign-in`)).status).toBe(200);
      // A cookie that is no session passes the proxy's presence check, then the page refuses it.
      const forged = await fetch(`${base}/sweeps/${sweepId}`, {
        redirect: 'manual',
        headers: { cookie: 'retune_session=forged' },
      });
      expect(forged.status).toBe(307);
      expect(forged.headers.get('location')).toMatch(/\/sign-in$/);
      const cookie = await signIn();

      let status = '';
      while (status !== 'completed') {
        if (Date.now() > deadline) throw new Error(`demo sweep stuck in ${status}:\n${output}`);
        const res = await fetch(getSweep, { headers: { cookie } });
        status = ((await res.json()) as { result: { data: { status: string } } }).result.data
          .status;
        await sleep(500);
      }
      const page = await fetch(`${base}/sweeps/${sweepId}`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(DEMO_SWEEP.name);
      // It varies freezeDepth and trainPerClass: the page charts accuracy against both.
      expect(html).toContain('val_acc by freeze depth');
      expect(html).toContain('val_acc by images per class');
      expect(html).toContain('★');
      expect(html).toContain(ADMIN.email); // the signed-in user in the top bar

      child.kill('SIGINT');
      expect(await Promise.race([exited, sleep(30_000).then(() => 'timeout')])).toBe(0);
      expect(output).toContain('all processes stopped');
      expect(pids.filter(alive)).toEqual([]);
      expect(await portOpen(PORT)).toBe(false);
      expect(await portOpen(TEMPORAL_PORT)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGINT');
      await Promise.race([exited, sleep(30_000)]);
    }
  }, 660_000);
});
