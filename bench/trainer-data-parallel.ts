/**
 * Prototype (#18): does data parallelism over two tfjs-node PROCESSES use the second core that
 * TensorFlow's eager kernels leave idle at 128²? Times one training epoch (after a warm-up
 * epoch) of EfficientNet-Lite0 (ImageNet weights, full fine-tuning, bnMode frozen, batch 32,
 * random pixels) side by side in one run, repeated:
 *
 *   single    one process, the trainer's own step, TensorFlow's default threads (2 here)
 *   single1   the same with TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1
 *   dp2       two replica processes with one TF thread each, each computing the gradients of
 *             half of every batch; this process averages them (weighted by examples) and sends
 *             the same bytes back to both, which apply them with the trainer's optimizers
 *   torch     PyTorch on the same network and pixels (bench/trainer-torch-steps.py), its default
 *             threads; torch1: one thread
 *
 *   npx tsx bench/trainer-data-parallel.ts [--modes single,single1,dp2,torch,torch1] [--reps 2]
 *        [--size 128] [--images 128] [--batch 32] [--check]
 *
 * --check: dropout 0, one epoch, and compares the weights of dp2's replicas with each other
 * (bit-identical?) and with `single` (max abs difference). Not a test; timings never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scriptArg, scriptFlag, scriptNumber } from '@retune/tools/script-args';
import { FrameSocket } from './data-parallel-frames';
import { findTorchPython } from './trainer-child';

const modes = scriptArg('modes', 'single,single1,dp2,torch,torch1').split(',').filter(Boolean);
const reps = scriptNumber('reps', 2);
const size = scriptNumber('size', 128);
const images = scriptNumber('images', 128);
const batch = scriptNumber('batch', 32);
const check = scriptFlag('check');
const epochs = check ? 1 : 2;
const dir = mkdtempSync(join(tmpdir(), 'retune-dp-'));
const oneThread = { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' };

interface Line {
  type: string;
  [k: string]: unknown;
}
interface Proc {
  lines: Line[];
  link?: FrameSocket;
  exited: Promise<number | null>;
}

function start(cmd: string, args: string[], env: Record<string, string>, link: boolean): Proc {
  const child = spawn(cmd, args, {
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
    stdio: ['ignore', 'pipe', 'inherit', ...(link ? (['pipe'] as const) : [])],
  });
  const lines: Line[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    if (l.startsWith('{')) lines.push(JSON.parse(l) as Line);
  });
  const exited = new Promise<number | null>((r) => child.on('close', r));
  return { lines, exited, link: link ? new FrameSocket(child.stdio[3] as Socket) : undefined };
}

function replica(rank: number, world: number, env: Record<string, string>, dump?: string): Proc {
  const args = ['--import', 'tsx', 'bench/data-parallel-replica.ts'];
  args.push('--size', `${size}`, '--images', `${images}`, '--batch', `${batch}`);
  args.push('--epochs', `${epochs}`, '--world', `${world}`, '--rank', `${rank}`);
  if (check) args.push('--dropout', '0');
  if (dump) args.push('--dump', dump);
  return start(process.execPath, args, env, world > 1);
}

/** The parent's part of each step: weighted mean of the replicas' gradients, sent to all. */
async function relay(procs: Proc[]): Promise<void> {
  const steps = epochs * Math.ceil(images / batch);
  for (let s = 0; s < steps; s++) {
    const frames = await Promise.all(procs.map((p) => p.link!.next()));
    const n = frames.reduce((a, f) => a + f[0]!, 0);
    const avg = new Float32Array(frames[0]!.length - 2);
    avg[0] = frames.reduce((a, f) => a + f[1]!, 0);
    for (let i = 3; i < frames[0]!.length; i++) {
      let sum = 0;
      for (const f of frames) sum += f[i]! * f[0]!;
      avg[i - 2] = sum / n;
    }
    for (const p of procs) p.link!.send(avg);
  }
  for (const p of procs) p.link!.end();
}

interface Result {
  mode: string;
  rate: number;
  cpuRate: number;
  loss: number;
  hashes: string[];
  load: number;
  phases: string;
}

async function run(mode: string): Promise<Result> {
  let procs: Proc[];
  if (mode.startsWith('torch')) {
    const { python, reason } = findTorchPython();
    if (!python) throw new Error(reason);
    const env: Record<string, string> = { PYTHONPATH: 'trainers/pytorch' };
    if (mode === 'torch1') Object.assign(env, { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
    const args = ['bench/trainer-torch-steps.py', `${size}`, `${images}`, `${batch}`, `${epochs}`];
    procs = [start(python, args, env, false)];
  } else if (mode === 'dp2') {
    procs = [0, 1].map((r) => replica(r, 2, oneThread, check ? join(dir, `dp${r}`) : undefined));
    await relay(procs);
  } else {
    const env = mode === 'single1' ? oneThread : {};
    procs = [replica(0, 1, env, check ? join(dir, 'single') : undefined)];
  }
  const codes = await Promise.all(procs.map((p) => p.exited));
  if (codes.some((c) => c !== 0)) throw new Error(`${mode}: exit codes ${codes.join(', ')}`);
  const last = procs.map((p) => p.lines.filter((l) => l.type === 'epoch').at(-1)!);
  const wall = Math.max(...last.map((l) => l['wallS'] as number));
  const cpu = last.reduce((a, l) => a + (l['cpuS'] as number), 0);
  return {
    mode,
    rate: images / wall,
    cpuRate: images / cpu,
    loss: last[0]!['loss'] as number,
    hashes: procs.map((p) => String(p.lines.find((l) => l.type === 'done')?.['hash'] ?? '')),
    load: loadavg()[0]!,
    phases: last.map((l) => JSON.stringify(l['phaseS'] ?? {})).join(' '),
  };
}

function maxAbsDiff(a: string, b: string): number {
  const [x, y] = [a, b].map((f) => new Float32Array(readFileSync(f).buffer.slice(0)));
  let m = 0;
  for (let i = 0; i < x!.length; i++) m = Math.max(m, Math.abs(x![i]! - y![i]!));
  return m;
}

const results: Result[] = [];
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
try {
  for (let r = 0; r < reps; r++) {
    for (const mode of r % 2 ? [...modes].reverse() : modes) {
      const res = await run(mode);
      results.push(res);
      console.log(
        `rep ${r + 1} ${mode.padEnd(7)} ${res.rate.toFixed(1)} img/s, ${res.cpuRate.toFixed(1)} per CPU-s, ` +
          `loss ${res.loss.toFixed(4)}, load ${res.load.toFixed(1)}${res.hashes.length > 1 ? `, weights ${res.hashes.join(' ')} ${res.phases}` : ''}`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\nmedians over ${reps} reps (${images} images ${size}², batch ${batch}):`);
  for (const mode of modes) {
    const rs = results.filter((r) => r.mode === mode);
    console.log(
      `${mode.padEnd(7)} ${median(rs.map((r) => r.rate)).toFixed(1)} img/s, ` +
        `${median(rs.map((r) => r.cpuRate)).toFixed(1)} per CPU-s`,
    );
  }
  if (check && modes.includes('dp2') && modes.includes('single')) {
    const d = maxAbsDiff(join(dir, 'dp0'), join(dir, 'single'));
    const same = readFileSync(join(dir, 'dp0')).equals(readFileSync(join(dir, 'dp1')));
    console.log(
      `dp2 replicas bit-identical: ${same}; dp2 vs single max |Δw| ${d.toExponential(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
