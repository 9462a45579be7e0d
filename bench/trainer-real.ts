/**
 * bench:trainer's real-network rows: one training epoch (full fine-tuning, batch 32) of
 * EfficientNet-Lite0 (ImageNet weights) and MobileNetV2 (nsfwjs) at each size, by the tfjs
 * trainer on tfjs-node, the PyTorch trainer on the CPU (EfficientNet-Lite0 only: it has no
 * MobileNetV2), the tfjs trainer on pure-JS tfjs (a few images, for scale), and plain tfjs-node
 * `model.fit` on the network the trainer builds (bench/trainer-fit-reference.ts); the same
 * weights and the same MNIST PNGs for all. Also the tfjs start-up, phase by phase.
 *
 *   --nets efficientnet-lite0,mobilenet-v2  --sizes 224,128  --real-per-class 13
 *   --real-cpu-per-class 1  --real-cpu-sizes 64  --runners native,fit,pytorch,purejs  --skip-real
 *   --tfjs-node DIR,DIR  --tfjs-env default,TF_ENABLE_ONEDNN_OPTS=0  --torch-threads 2,1  --repeat 3
 *
 * Variants, each a row of its own: `--tfjs-node` lists builds of @tensorflow/tfjs-node (default:
 * the installed one; a build's TensorFlow version comes from its deps/.tfjs-native.json) that the
 * native and model.fit rows run on (bench/tfjs-node-dir.mjs points the child at one);
 * `--tfjs-env` lists environments for those rows (`default` = none; `A=1+B=2` sets two
 * variables), e.g. TF_ENABLE_ONEDNN_OPTS or TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS;
 * `--torch-threads` lists PyTorch thread counts (OMP_NUM_THREADS; empty = torch's default).
 * `--repeat N` runs the whole sequence N times (the rows say which repetition and the 1-min load
 * average at their end) and prints the median, min and max of each variant.
 *
 * Pure JS runs at --real-cpu-sizes only (an EfficientNet-Lite0 epoch of 5 images at 64×64 took
 * 150 s here: at 224 it would take most of an hour).
 *
 * Epoch time: native/PyTorch run 2 epochs, the measured one being the second (from the arrival
 * of epoch 0's checkpoint line to epoch 1's metric line: training plus validation on 5 images,
 * no checkpoint write); model.fit: its second epoch (onEpochEnd to onEpochEnd); pure JS: one
 * epoch (from the "N train" log line to the metric line), as its warm-up costs little.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { scriptArg, scriptFlag } from '@retune/tools/script-args';
import { cpuAt, findTorchPython, runChild, writeMnistFolder, type ChildRun } from './trainer-child';

const NETS: Record<string, string> = {
  'efficientnet-lite0': 'imagenet:efficientnet-lite0',
  'mobilenet-v2': 'imagenet-ft:mobilenet-v2',
};

const opt = {
  nets: scriptArg('nets', 'efficientnet-lite0,mobilenet-v2'),
  sizes: scriptArg('sizes', '224,128'),
  'real-per-class': scriptArg('real-per-class', '13'),
  'real-cpu-per-class': scriptArg('real-cpu-per-class', '1'),
  'real-cpu-sizes': scriptArg('real-cpu-sizes', '64'),
  runners: scriptArg('runners', 'native,fit,pytorch,purejs'),
  'skip-real': scriptFlag('skip-real'),
  'torch-threads': scriptArg('torch-threads', ''),
  'tfjs-node': scriptArg('tfjs-node', ''),
  'tfjs-env': scriptArg('tfjs-env', 'default'),
  repeat: scriptArg('repeat', '1'),
};
const list = (v: unknown) => String(v).split(',').filter(Boolean);

export interface RealRow {
  network: string;
  size: number;
  runner: string;
  images: number;
  epochS: number;
  /** CPU seconds (all threads) of the measured epoch: images per CPU-second hold under load. */
  cpuS?: number;
  rssMiB: number;
  startupS: number;
  wallS: number;
  /** Which pass of --repeat, and the 1-min load average when the row ended. */
  rep?: number;
  load1?: number;
}

export interface Startup {
  network: string;
  size: number;
  processS: number;
  tfS: number;
  baseS: number;
  dataS: number;
}

const msgs = (run: ChildRun, type: string) => run.lines.filter((l) => l.msg['type'] === type);

/** The "N train / M val images" log line: the end of the trainer's start-up. */
function readyLine(run: ChildRun): { at: number; images: number } | undefined {
  for (const l of msgs(run, 'log')) {
    const m = /(\d+) train \/ \d+ val images/.exec(String(l.msg['msg']));
    if (m) return { at: l.at, images: Number(m[1]) };
  }
  return undefined;
}

function trainerRow(
  run: ChildRun,
  row: Omit<RealRow, 'images' | 'epochS' | 'rssMiB' | 'startupS' | 'wallS'>,
  measuredEpochs: 1 | 2,
  started: number,
): RealRow {
  const ready = readyLine(run);
  const metrics = msgs(run, 'metric');
  if (run.code !== 0 || !ready || metrics.length !== measuredEpochs) {
    throw new Error(`${row.runner} ${row.network}@${row.size} exited ${run.code}:\n${run.stderr}`);
  }
  const from = measuredEpochs === 1 ? ready.at : msgs(run, 'checkpoint')[0]!.at;
  const to = metrics[measuredEpochs - 1]!.at;
  return {
    ...row,
    images: ready.images,
    epochS: (to - from) / 1000,
    cpuS: cpuAt(run, to) - cpuAt(run, from),
    rssMiB: run.peakMiB,
    startupS: (ready.at - started) / 1000,
    wallS: run.wallS,
  };
}

function inputFile(
  dir: string,
  name: string,
  baseModel: string,
  data: string,
  perClass: number,
  epochs: number,
): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      trialId: 'bench',
      params: {
        epochs,
        batchSize: 32,
        trainPerClass: perClass,
        valPerClass: 1,
        freezeDepth: 'full',
      },
      baseModel,
      dataset: data,
      checkpointDir: join(dir, `${name}-ckpt`),
      seed: 1,
      device: { kind: 'cpu' },
    }),
  );
  return file;
}

/** The model.fit child: its row and the start-up phases it timed. */
async function fitReference(command: string[], root: string, env: Record<string, string>) {
  const fit = await runChild(command, { cwd: root, env });
  const line = fit.lines.at(-1)?.msg as
    | {
        startup: Omit<Startup, 'network' | 'size'>;
        images: number;
        epochS: number[];
        epochCpuS: number[];
      }
    | undefined;
  if (fit.code !== 0 || !line) throw new Error(`model.fit exited ${fit.code}:\n${fit.stderr}`);
  const s = line.startup;
  return {
    startup: s,
    row: {
      runner: 'tfjs model.fit (reference)',
      images: line.images,
      epochS: line.epochS.at(-1)!,
      cpuS: line.epochCpuS.at(-1)!,
      rssMiB: fit.peakMiB,
      startupS: s.processS + s.tfS + s.baseS + s.dataS,
      wallS: fit.wallS,
    },
  };
}

/** A build of tfjs-node or an environment the tfjs rows run with: its label and child set-up. */
interface TfjsVariant {
  label: string;
  preload: string[];
  env: Record<string, string>;
}

/** The TensorFlow version a tools/tfjs-native build recorded, else "installed". */
function tfVersionOf(dir: string): string {
  const marker = join(dir, 'deps', '.tfjs-native.json');
  if (!existsSync(marker)) return 'installed';
  return `TF ${(JSON.parse(readFileSync(marker, 'utf8')) as { tensorflowCpu: string }).tensorflowCpu}`;
}

/** Every --tfjs-node build × every --tfjs-env environment. */
function tfjsVariants(root: string): TfjsVariant[] {
  const dirs = list(opt['tfjs-node']).map((d) => resolve(root, d));
  const builds = dirs.length
    ? dirs.map((dir) => ({
        label: tfVersionOf(dir),
        preload: ['--import', join(root, 'bench/tfjs-node-dir.mjs')],
        env: { BENCH_TFJS_NODE_DIR: dir },
      }))
    : [
        {
          label: tfVersionOf(join(root, 'node_modules/@tensorflow/tfjs-node')),
          preload: [],
          env: {},
        },
      ];
  const envs = list(opt['tfjs-env']).map((e) =>
    e === 'default' ? {} : Object.fromEntries(e.split('+').map((kv) => kv.split('=', 2))),
  );
  return builds.flatMap((b) =>
    envs.map((e) => ({
      label: [b.label, ...Object.entries(e).map(([k, v]) => `${k}=${v}`)].join(', '),
      preload: b.preload,
      env: { ...b.env, ...e },
    })),
  );
}

/** Runs every real-network row; returns them with the tfjs start-up phases. */
export async function realNetworkRows(
  root: string,
): Promise<{ rows: RealRow[]; startups: Startup[]; notes: string[] }> {
  if (opt['skip-real'])
    return { rows: [], startups: [], notes: ['real networks: skipped (--skip-real)'] };
  const perClass = Number(opt['real-per-class']);
  const cpuPerClass = Number(opt['real-cpu-per-class']);
  const dir = mkdtempSync(join('/tmp', 'retune-bench-real-'));
  const data = join(dir, 'images');
  await writeMnistFolder(data, perClass, 1);
  const env = {
    RETUNE_MODEL_CACHE:
      process.env['RETUNE_MODEL_CACHE'] ||
      join(process.env['HOME'] ?? '/tmp', '.cache/retune/models'),
  };
  const nets = list(opt.nets).map((n) => {
    const name = NETS[n];
    if (!name)
      throw new Error(`--nets: unknown network ${n} (known: ${Object.keys(NETS).join(', ')})`);
    return { short: n, name };
  });
  // Convert (or find in the cache) every base first, so that no row times a conversion.
  const convert = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'tools/bases/convert.ts'), ...nets.map((n) => n.name)],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (convert.status !== 0) throw new Error('tools/bases/convert.ts failed');
  const torch = findTorchPython();
  const tsx = [process.execPath, '--import', 'tsx'];
  const rows: RealRow[] = [];
  const startups: Startup[] = [];
  const notes: string[] = [];
  const runners = new Set(list(opt.runners));
  const sizes = list(opt.sizes).map(Number);
  const cpuSizes = list(opt['real-cpu-sizes']).map(Number);
  const variants = tfjsVariants(root);
  const torchThreads = String(opt['torch-threads'] ?? '').split(',');
  const push = (row: RealRow, rep: number, extra: object = {}) => {
    rows.push({ ...row, rep, load1: loadavg()[0]! });
    console.error(`  ${JSON.stringify({ ...rows.at(-1), ...extra })}`); // survives a run cut short
  };
  for (let rep = 1; rep <= Number(opt.repeat); rep++) {
    for (const net of nets) {
      for (const size of [...new Set([...sizes, ...cpuSizes])].sort((a, b) => b - a)) {
        const base = `${net.name}@${size}`;
        const key = { network: net.short, size };
        const run = async (
          runner: string,
          command: string[],
          runEnv: Record<string, string>,
          epochs: 1 | 2,
        ) => {
          console.error(`running ${runner} on ${base} …`);
          const started = performance.now();
          const r = await runChild(command, { cwd: root, env: { ...env, ...runEnv } });
          push(trainerRow(r, { ...key, runner }, epochs, started), rep);
        };
        const native = inputFile(dir, `${net.short}-${size}`, base, data, perClass, 2);
        const full = sizes.includes(size);
        for (const v of variants) {
          if (full && runners.has('native')) {
            await run(
              `tfjs trainer, native (${v.label})`,
              [...tsx, ...v.preload, join(root, 'libs/trainer/src/bin/train.ts'), native],
              v.env,
              2,
            );
          }
          if (full && runners.has('fit')) {
            console.error(`running model.fit (${v.label}) on ${base} …`);
            const fit = await fitReference(
              [...tsx, ...v.preload, join(root, 'bench/trainer-fit-reference.ts'), native],
              root,
              { ...env, ...v.env },
            );
            startups.push({ ...key, ...fit.startup });
            const row = { ...fit.row, runner: `${fit.row.runner} (${v.label})` };
            push({ ...key, ...row }, rep, { startup: fit.startup });
          }
        }
        if (full && runners.has('pytorch') && net.short === 'efficientnet-lite0' && torch.python) {
          for (const threads of torchThreads) {
            await run(
              `pytorch cpu (${torch.reason}${threads ? `, ${threads} threads` : ''})`,
              [torch.python, join(root, 'trainers/pytorch/train.py'), native],
              threads ? { OMP_NUM_THREADS: threads } : {},
              2,
            );
          }
        }
        if (rep === 1 && cpuSizes.includes(size) && runners.has('purejs')) {
          const cpu = inputFile(dir, `${net.short}-${size}-cpu`, base, data, cpuPerClass, 1);
          await run(
            'tfjs trainer, pure JS',
            [...tsx, join(root, 'libs/trainer/src/bin/train.ts'), cpu],
            { RETUNE_TRAINER_FORCE_CPU: '1' },
            1,
          );
        }
      }
    }
  }
  if (!torch.python) notes.push(`pytorch: SKIPPED: ${torch.reason}`);
  if (nets.some((n) => n.short === 'mobilenet-v2'))
    notes.push(
      'pytorch has no MobileNetV2 (trainers/pytorch knows cnn2, cnn4, efficientnet-lite0): no PyTorch row for it.',
    );
  rmSync(dir, { recursive: true, force: true });
  return { rows, startups, notes };
}
