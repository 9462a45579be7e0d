import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const COLORS = [36, 35, 33, 32, 34];

/** Starts a child in its own process group, prefixing each output line with its name. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Managed {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const color = COLORS[name.length % COLORS.length];
  const prefix = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m ` : `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) =>
      process.stdout.write(prefix + line + '\n'),
    );
  }
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      process.stdout.write(`${prefix}failed to start: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code) => resolve(code));
  });
  return { name, child, exited };
}

/** SIGTERM each group, then SIGKILL whatever is left after the grace period. */
export async function stopAll(processes: Managed[], graceMs = 10_000): Promise<void> {
  const signal = (p: Managed, sig: NodeJS.Signals) => {
    if (p.child.pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null)
      return;
    try {
      process.kill(-p.child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  for (const p of [...processes].reverse()) signal(p, 'SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  const all = Promise.all(processes.map((p) => p.exited));
  if ((await Promise.race([all, timeout])) === 'timeout') {
    for (const p of processes) signal(p, 'SIGKILL');
    await all;
  }
}

export async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not open ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`);
}
