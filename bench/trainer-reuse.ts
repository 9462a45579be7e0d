/**
 * bench:reuse — what reusable trainer processes (docs/trainer-reuse.md) buy and cost, with the
 * tfjs trainer driven exactly as the GPU worker drives it (runTrainerProcess for a process per
 * trial, the worker's trainer pool for a reused one):
 *
 * 1. Start-up per trial on the real transfer tasks: the demo base (demo:mnist-0-4-cnn on
 *    demo:mnist-5-9) and EfficientNet-Lite0 (ImageNet weights, 128 px, on the MNIST 5–9 PNGs).
 *    Start-up = from handing the trial over (spawn, or the stdin line) to the trainer's
 *    "N train / M val images" log line (TensorFlow, base and data loaded, model built).
 * 2. Memory: RSS of one reused process after each of --rss-trials small demo trials, and the
 *    least-squares slope of RSS over trial number (after --rss-warmup trials).
 *
 *   npm run bench:reuse -- --trials 6 --rss-trials 200 --rss-warmup 20 --nets demo,efficientnet-lite0
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTrainerPool,
  runTrainerProcess,
  type TrainerPool,
  type TrainerProcessResult,
} from '@retune/activities';
import type { TrainerInput, TrainerMessage } from '@retune/core';
import { createTrainerResolver, repoRoot } from '@retune/worker';
import { scriptArg, scriptNumber } from '@retune/tools/script-args';
import { writeMnistFolder } from './trainer-child';

const opt = {
  trials: scriptNumber('trials', 6),
  rssTrials: scriptNumber('rss-trials', 200),
  rssWarmup: scriptNumber('rss-warmup', 20),
  nets: scriptArg('nets', 'demo,efficientnet-lite0').split(',').filter(Boolean),
};

const tmp = mkdtempSync(join(tmpdir(), 'retune-bench-reuse-'));
const env = { ...process.env, CUDA_VISIBLE_DEVICES: '', RETUNE_TRAINER_FORCE_CPU: '' };
const never = new AbortController().signal;

interface Task {
  name: string;
  input: (n: number) => TrainerInput;
}

let trialNo = 0;
function trialInput(baseModel: string, dataset: string, params: TrainerInput['params']) {
  return (n: number): TrainerInput => ({
    trialId: `bench-${trialNo++}`,
    baseModel,
    dataset,
    checkpointDir: join(tmp, `ck-${trialNo}`),
    seed: n,
    device: { kind: 'cpu' },
    params,
  });
}

/** Times one trial from hand-over; `ready` is the end of its start-up (the images log line). */
async function timed(
  run: (onMessage: (m: TrainerMessage) => void) => Promise<TrainerProcessResult>,
): Promise<{ startupS: number; wallS: number }> {
  const t0 = performance.now();
  let ready: number | undefined;
  const result = await run((m) => {
    if (ready === undefined && m.type === 'log' && / train \/ \d+ val images/.test(m.msg)) {
      ready = performance.now();
    }
  });
  if (result.kind !== 'exited' || result.exitCode !== 0 || ready === undefined) {
    throw new Error(`trial failed: ${JSON.stringify(result).slice(0, 600)}`);
  }
  return { startupS: (ready - t0) / 1000, wallS: (performance.now() - t0) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function startupRows(task: Task, command: string[]) {
  const perProcess: { startupS: number; wallS: number }[] = [];
  for (let i = 0; i < opt.trials; i++) {
    const input = task.input(i);
    const path = join(tmp, `${input.trialId}.json`);
    writeFileSync(path, JSON.stringify(input));
    perProcess.push(
      await timed((onMessage) =>
        runTrainerProcess({
          command: [...command, path],
          cwd: repoRoot,
          env: { ...env, RETUNE_TRAINER_INPUT: path },
          signal: never,
          onMessage,
        }),
      ),
    );
  }
  const pool = createTrainerPool({ maxTrials: 1000, markerDir: join(tmp, 'pool') });
  const reused: { startupS: number; wallS: number }[] = [];
  try {
    for (let i = 0; i < opt.trials; i++) {
      const input = task.input(i);
      reused.push(
        await timed((onMessage) =>
          pool.run({
            slot: 0,
            trainer: { command, cwd: repoRoot },
            env,
            input,
            signal: never,
            onMessage,
          }),
        ),
      );
    }
  } finally {
    await pool.close();
  }
  // Medians over trials after the first: the first builds caches (the demo base is pretrained
  // on first use; the first reused trial starts the process), shown on its own.
  const row = (mode: string, xs: { startupS: number; wallS: number }[]) => {
    const warm = xs.length > 1 ? xs.slice(1) : xs;
    return `| ${task.name} | ${mode} | ${median(warm.map((x) => x.startupS)).toFixed(2)} | ${xs[0]!.startupS.toFixed(2)} | ${median(warm.map((x) => x.wallS)).toFixed(2)} |`;
  };
  return [row('process per trial', perProcess), row('reused process', reused)];
}

function rssMiB(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Least-squares slope of ys over their index. */
function slope(ys: number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function rssRow(command: string[]) {
  const pool: TrainerPool = createTrainerPool({
    maxTrials: 1_000_000,
    markerDir: join(tmp, 'pool'),
  });
  const input = trialInput('demo:mnist-0-4-cnn', 'demo:mnist-5-9', {
    epochs: 1,
    batchSize: 32,
    trainPerClass: 20,
    valPerClass: 10,
    freezeDepth: 'partial',
  });
  const rss: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < opt.rssTrials; i++) {
      await timed((onMessage) =>
        pool.run({
          slot: 0,
          trainer: { command, cwd: repoRoot },
          env,
          input: input(i),
          signal: never,
          onMessage,
        }),
      );
      rss.push(rssMiB(pool.pids()[0]!));
    }
  } finally {
    await pool.close();
  }
  const after = rss.slice(opt.rssWarmup);
  const kibPerTrial = slope(after) * 1024;
  const half = Math.floor(rss.length / 2);
  console.log(
    `\n${opt.rssTrials} trials in one tfjs process (${((performance.now() - started) / 1000).toFixed(0)} s): ` +
      `RSS after trial 1 ${rss[0]!.toFixed(0)} MiB, after trial ${opt.rssWarmup} ${rss[opt.rssWarmup - 1]?.toFixed(0)} MiB, ` +
      `last ${rss.at(-1)!.toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB; ` +
      `slope over trials ${opt.rssWarmup + 1}–${opt.rssTrials}: ${kibPerTrial.toFixed(1)} KiB/trial, ` +
      `over trials ${half + 1}–${opt.rssTrials}: ${(slope(rss.slice(half)) * 1024).toFixed(1)} KiB/trial`,
  );
  console.log(
    `RSS by trial (MiB, every 10th): ${rss
      .filter((_, i) => i % 10 === 9)
      .map((r) => r.toFixed(0))
      .join(' ')}`,
  );
}

async function main() {
  const tfjs = await createTrainerResolver(repoRoot)({ name: 'tfjs' });
  const folder = join(tmp, 'mnist');
  const tasks: Task[] = [];
  if (opt.nets.includes('demo')) {
    tasks.push({
      name: 'demo base (demo:mnist-0-4-cnn → demo:mnist-5-9, 50+25 images, 1 epoch)',
      input: trialInput('demo:mnist-0-4-cnn', 'demo:mnist-5-9', {
        epochs: 1,
        trainPerClass: 10,
        valPerClass: 5,
      }),
    });
  }
  if (opt.nets.includes('efficientnet-lite0')) {
    await writeMnistFolder(folder, 4, 2);
    tasks.push({
      name: 'EfficientNet-Lite0 @128 (ImageNet) → MNIST 5–9 PNGs, 20+10 images, 1 epoch',
      input: trialInput('imagenet:efficientnet-lite0@128', folder, {
        epochs: 1,
        batchSize: 10,
        freezeDepth: 'partial',
      }),
    });
  }
  console.log(`tfjs trainer, CPU (tfjs-node), ${opt.trials} trials each way\n`);
  console.log(
    '| task | mode | start-up, median of trials 2–N (s) | first trial start-up (s) | trial wall, median of trials 2–N (s) |',
  );
  console.log('|---|---|---|---|---|');
  for (const task of tasks)
    for (const line of await startupRows(task, tfjs.command)) console.log(line);
  if (opt.rssTrials > 0) await rssRow(tfjs.command);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));
