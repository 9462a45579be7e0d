/**
 * The real stack as separate processes, so faults can be injected the way they happen in
 * production: a Temporal dev server with a persistent SQLite file, one control worker and N GPU
 * workers (apps/worker/src/main.ts), all sharing one database and one work directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { repoRoot } from '@retune/worker';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StackOptions {
  /** Scratch directory: temporal.db, work/, logs. */
  dir: string;
  dbUrl: string;
  temporalBin: string;
  gpuWorkers: number;
  slotsPerWorker: number;
  /** Extra environment for workers (and so for their trainers). */
  env?: Record<string, string>;
  /** Print child output (debugging). */
  verbose?: boolean;
  /** Where Temporal listens: 0.0.0.0 when workers in network namespaces must reach it. */
  temporalIp?: string;
}

/** A worker started inside a network namespace reaches us at `gateway`. */
export interface RemoteHost {
  netns: string;
  gateway: string;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  output: string[];
}

export class Stack {
  readonly workDir: string;
  readonly temporalDb: string;
  temporalPort = 0;
  temporal: Proc | null = null;
  control: Proc | null = null;
  dashboardPort = 0;
  dashboard: Proc | null = null;
  readonly gpu = new Map<string, Proc>();
  private connection: Connection | null = null;
  private client: Client | null = null;
  private readonly all: Proc[] = [];
  private workerGeneration = 0;

  constructor(readonly opts: StackOptions) {
    this.workDir = join(opts.dir, 'work');
    this.temporalDb = join(opts.dir, 'temporal.db');
    mkdirSync(this.workDir, { recursive: true });
  }

  get address(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  private spawnProc(
    name: string,
    command: string,
    args: string[],
    env: Record<string, string>,
    cwd = repoRoot,
  ) {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: stopping the stack at the end can take grandchildren with it.
      detached: true,
    });
    const output: string[] = [];
    for (const s of [child.stdout!, child.stderr!]) {
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        output.push(d);
        if (output.length > 200) output.shift();
        if (this.opts.verbose) process.stderr.write(`[${name}] ${d}`);
      });
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const proc: Proc = { name, child, exited, output };
    this.all.push(proc);
    return proc;
  }

  async startTemporal(): Promise<void> {
    if (!this.temporalPort) this.temporalPort = await freePort();
    const [http, metrics] = [await freePort(), await freePort()];
    this.temporal = this.spawnProc(
      'temporal',
      this.opts.temporalBin,
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        this.opts.temporalIp ?? '127.0.0.1',
        '--port',
        String(this.temporalPort),
        '--http-port',
        String(http),
        '--metrics-port',
        String(metrics),
        '--db-filename',
        this.temporalDb,
        '--log-level',
        'error',
      ],
      {},
    );
    await waitForPort(this.temporalPort, 60_000, 'temporal dev server');
  }

  /** kill -9 the Temporal server, wait, start it again on the same port and SQLite file. */
  async restartTemporal(downMs: number): Promise<void> {
    await killHard(this.temporal!);
    await sleep(downMs);
    await this.startTemporal();
  }

  /** The production dashboard on its own port (needs `buildDashboard()` done first). */
  async startDashboard(): Promise<void> {
    if (!this.dashboardPort) this.dashboardPort = await freePort();
    this.dashboard = this.spawnProc(
      'dashboard',
      join(repoRoot, 'node_modules/.bin/next'),
      ['start', '-p', String(this.dashboardPort)],
      {
        DATABASE_URL: this.opts.dbUrl,
        TEMPORAL_ADDRESS: this.address,
        PORT: String(this.dashboardPort),
      },
      join(repoRoot, 'apps/dashboard'),
    );
    await waitForPort(this.dashboardPort, 120_000, 'dashboard');
  }

  /** kill -9 the dashboard (its whole process group), wait, start it again on the same port. */
  async restartDashboard(downMs: number): Promise<void> {
    const proc = this.dashboard!;
    try {
      process.kill(-proc.child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await proc.exited;
    await sleep(downMs);
    await this.startDashboard();
  }

  /** A Temporal client for launching sweeps (reconnects on its own after a server restart). */
  async temporalClient(): Promise<Client> {
    if (!this.client) {
      this.connection = await Connection.connect({ address: this.address });
      this.client = new Client({ connection: this.connection });
    }
    return this.client;
  }

  private workerEnv(id: string, host?: RemoteHost): Record<string, string> {
    return {
      ...this.opts.env,
      // A namespace has its own loopback: it reaches our services at its gateway address.
      DATABASE_URL: host ? this.opts.dbUrl.replace('127.0.0.1', host.gateway) : this.opts.dbUrl,
      TEMPORAL_ADDRESS: host ? `${host.gateway}:${this.temporalPort}` : this.address,
      RETUNE_WORK_DIR: this.workDir,
      RETUNE_WORKER_ID: id,
      RETUNE_LOG_LEVEL: 'ERROR',
      // No fault here involves gp/cmaes sweeps: no Python sampler worker beside the control one.
      RETUNE_SAMPLER_WORKER: 'off',
    };
  }

  private async startWorker(id: string, args: string[], host?: RemoteHost): Promise<Proc> {
    const node = [process.execPath, '--import', 'tsx', 'apps/worker/src/main.ts', ...args];
    // `ip netns exec` execs the command in place: the pid we hold is the worker's.
    const [command, ...argv] = host ? ['ip', 'netns', 'exec', host.netns, ...node] : node;
    const proc = this.spawnProc(id, command!, argv, this.workerEnv(id, host));
    // main.ts prints "retune worker <id>: polling …" once its workers are created.
    const deadline = Date.now() + 120_000;
    while (!proc.output.join('').includes('polling')) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null)
        throw new Error(`worker ${id} exited while starting:\n${proc.output.join('')}`);
      if (Date.now() > deadline) throw new Error(`worker ${id} did not start in 120 s`);
      await sleep(100);
    }
    return proc;
  }

  async startControl(): Promise<void> {
    this.control = await this.startWorker(`control-${++this.workerGeneration}`, [
      '--queues',
      'control',
    ]);
  }

  /** Starts GPU worker `name` (a "host"); its Temporal identity changes with each start. */
  async startGpu(name: string, host?: RemoteHost): Promise<void> {
    const proc = await this.startWorker(
      `${name}-${++this.workerGeneration}`,
      ['--queues', 'gpu', '--slots', String(this.opts.slotsPerWorker)],
      host,
    );
    this.gpu.set(name, proc);
  }

  /** Temporal, the control worker and opts.gpuWorkers local GPU workers (or one per host). */
  async start(hosts?: (RemoteHost & { name: string })[]): Promise<void> {
    await this.startTemporal();
    // The control worker bundles the workflows (the slow part); GPU workers start meanwhile.
    const names = Array.from({ length: this.opts.gpuWorkers }, (_, i) => `gpu-${'abcdefgh'[i]}`);
    await Promise.all([
      this.startControl(),
      ...(hosts ? hosts.map((h) => this.startGpu(h.name, h)) : names.map((n) => this.startGpu(n))),
    ]);
  }

  async stop(): Promise<void> {
    await this.connection?.close().catch(() => {});
    for (const p of this.all) {
      if (p.child.pid === undefined) continue;
      try {
        process.kill(-p.child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await Promise.all(this.all.map((p) => Promise.race([p.exited, sleep(5000)])));
  }
}

/** SIGKILL one process (not its group): what a crash or the OOM killer does. */
export async function killHard(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGKILL');
  await proc.exited;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(200);
  }
  throw new Error(`${what} did not open port ${port} within ${Math.round(timeoutMs / 1000)} s`);
}

/** `next build` of the dashboard, so `startDashboard` serves the current code. */
export async function buildDashboard(): Promise<void> {
  const child = spawn(join(repoRoot, 'node_modules/.bin/next'), ['build'], {
    cwd: join(repoRoot, 'apps/dashboard'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  for (const s of [child.stdout, child.stderr]) s.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`dashboard build failed (exit ${code}):\n${out.slice(-3000)}`);
}
