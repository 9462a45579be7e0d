/**
 * Multi-task fine-tuning through the real stack (Temporal dev server, workers, SQLite, one tfjs
 * trainer process per trial; docs/multitask.md): single-task baselines against hard sharing
 * (across auxiliary task weights, `auto`, and share depths) and soft sharing (across penalties),
 * on a related task pair (Fashion-MNIST item + its group) and a less related one (MNIST digit +
 * ink), with few and many images per class. Prints markdown tables and writes an SVG chart. Not a
 * test.
 *
 *   npm run bench:multitask -- [--quick] [--per-class 10,100] [--epochs 12,6] [--val-per-class 50]
 *       [--weights 0.5,1,2] [--depths 0,2] [--penalties 0.01,1] [--base demo:mnist-0-4-cnn]
 *       [--freeze-depth 0] [--base-lr 0.001]
 *       [--pairs related,unrelated] [--slots 2] [--seed 1] [--svg docs/multitask.svg]
 *
 * The first task of a pair is the primary one: `taskWeights: w` weighs the other at w. The
 * single-task baselines are `taskWeights: 1,0` and `0,1` (the other task's loss weighs nothing). Soft
 * sharing runs with `shareDepth: 0` (every task its own copy of the whole base, pulled together
 * by the penalty). `--epochs` is one value or one per `--per-class` entry.
 */
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepDetail } from '@retune/core';
import { scriptArg, scriptFlag } from '@retune/tools/script-args';
import { multitaskSvg, type Cell } from './multitask-chart';
import { startBenchStack, type BenchStack } from './stack';

const quick = scriptFlag('quick');
const list = (flag: string, fallback: string, quickFallback: string): string[] =>
  scriptArg(flag, quick ? quickFallback : fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const numbers = (flag: string, fallback: string, quickFallback = fallback): number[] => {
  const values = list(flag, fallback, quickFallback).map(Number);
  if (values.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new Error(`--${flag} takes non-negative numbers separated by commas`);
  }
  return values;
};

const PAIRS = {
  related: { dataset: 'demo:fashion-multitask', tasks: ['item', 'group'] },
  unrelated: { dataset: 'demo:mnist-unrelated', tasks: ['digit', 'ink'] },
} as const;
type Pair = keyof typeof PAIRS;
const pairs = list('pairs', 'related,unrelated', 'related') as Pair[];
for (const p of pairs) if (!(p in PAIRS)) throw new Error(`--pairs: unknown pair "${p}"`);
const perClass = numbers('per-class', '10,100', '5');
const epochList = numbers('epochs', '12,6', '1');
if (epochList.length !== 1 && epochList.length !== perClass.length) {
  throw new Error('--epochs takes one value or one per --per-class entry');
}
const epochsFor = (i: number) => epochList[epochList.length === 1 ? 0 : i]!;
const valPerClass = numbers('val-per-class', '50', '10')[0]!;
const weights = numbers('weights', '0.5,1,2', '1');
const depths = numbers('depths', '0,2', '0');
const penalties = numbers('penalties', '0.01,1', '1');
const base = scriptArg('base', 'demo:mnist-0-4-cnn');
// Fine-tuned in full at one learning rate by default, so that what the tasks share can move.
const freezeDepth = numbers('freeze-depth', '0')[0]!;
const baseLr = numbers('base-lr', '0.001')[0]!;
const slots = numbers('slots', '2')[0]!;
const seed = numbers('seed', '1')[0]!;
// A --quick smoke run must not overwrite the docs' chart.
const svgPath = scriptArg(
  'svg',
  quick ? join(tmpdir(), 'retune-multitask-quick.svg') : 'docs/multitask.svg',
);

interface Job {
  pair: Pair;
  perClass: number;
  name: string;
  grid: Record<string, (string | number)[]>;
  fixed: Record<string, string | number>;
  /** The arm a completed trial stands for. */
  arm: (params: Record<string, unknown>) => string;
}

function jobs(): Job[] {
  return pairs.flatMap((pair) =>
    perClass.flatMap((n, i) => {
      const [primary, aux] = PAIRS[pair].tasks;
      const common = { trainPerClass: n, epochs: epochsFor(i) };
      const label = `${pair} ${n}/class`;
      const specs: Omit<Job, 'pair' | 'perClass'>[] = [
        {
          // The other task weighted 0 trains exactly the single-task network (its head gets
          // no gradient and the shared base none from it), on the same data split.
          name: `${label} single-task`,
          grid: { taskWeights: ['1,0', '0,1'] },
          fixed: { ...common, tasks: `${primary},${aux}` },
          arm: () => 'single-task',
        },
        {
          name: `${label} hard, weights`,
          grid: { taskWeights: [...weights, 'auto'] },
          fixed: { ...common, tasks: `${primary},${aux}` },
          arm: (p: Record<string, unknown>) =>
            p['taskWeights'] === 'auto' ? 'hard auto' : `hard w=${String(p['taskWeights'])}`,
        },
        {
          name: `${label} hard, depths`,
          grid: { shareDepth: depths },
          fixed: { ...common, tasks: `${primary},${aux}` },
          arm: (p: Record<string, unknown>) => `hard depth ${String(p['shareDepth'])}`,
        },
        {
          name: `${label} soft`,
          grid: { softPenalty: penalties },
          fixed: { ...common, tasks: `${primary},${aux}`, sharing: 'soft', shareDepth: 0 },
          arm: (p: Record<string, unknown>) => `soft λ=${String(p['softPenalty'])}`,
        },
      ];
      return specs.map((j) => ({ ...j, pair, perClass: n }));
    }),
  );
}

function spec(job: Job) {
  return {
    name: job.name,
    dataset: PAIRS[job.pair].dataset,
    baseModel: base,
    trainer: { name: 'tfjs' },
    metric: { name: 'val_acc', goal: 'maximize' },
    algorithm: 'grid',
    maxParallel: slots,
    seed,
    trialTimeoutSeconds: 3 * 3600,
    searchSpace: Object.fromEntries(
      Object.entries(job.grid).map(([k, values]) => [k, { type: 'choice', values }]),
    ),
    fixed: { valPerClass, batchSize: 32, augment: 'none', freezeDepth, baseLr, ...job.fixed },
  };
}

/** A single-task trial reports only its own task; a multi-task one both. */
function cellsOf(job: Job, sweep: SweepDetail): Cell[] {
  const [primary, aux] = PAIRS[job.pair].tasks;
  const acc = (values: Record<string, number>, task: string) => values[`val_acc_${task}`] ?? NaN;
  const done = sweep.trials.filter((t) => {
    if (t.status !== 'completed')
      console.error(`  ${job.name} #${t.number}: ${t.status}: ${t.error ?? ''}`);
    return t.status === 'completed';
  });
  if (job.arm({}) === 'single-task') {
    const of = (w: string) => done.find((t) => t.params['taskWeights'] === w);
    const p = of('1,0');
    const a = of('0,1');
    const seconds = ((p?.durationMs ?? NaN) + (a?.durationMs ?? NaN)) / 2000;
    const value = (t: typeof p, task: string) => (t ? acc(t.values, task) : NaN);
    return [
      {
        pair: job.pair,
        perClass: job.perClass,
        arm: 'single-task',
        primary: value(p, primary),
        aux: value(a, aux),
        seconds,
      },
    ];
  }
  return done.map((t) => ({
    pair: job.pair,
    perClass: job.perClass,
    arm: job.arm(t.params),
    primary: acc(t.values, primary),
    aux: acc(t.values, aux),
    seconds: (t.durationMs ?? NaN) / 1000,
  }));
}

async function runAll(stack: BenchStack): Promise<Cell[]> {
  const all = jobs();
  console.error(`${all.length} sweeps on ${slots} slots…`);
  const done = await Promise.all(
    all.map(async (job) => {
      const cells = cellsOf(job, await stack.runSweep(spec(job)));
      // Printed as each sweep ends, so a run cut short still leaves its numbers.
      for (const c of cells)
        console.error(`  ${job.name}: ${c.arm} ${pct(c.primary)} / ${pct(c.aux)}`);
      return cells;
    }),
  );
  return done.flat();
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  return [line(header), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
}

/** The arms in a fixed order: baseline, hard by weight, hard by depth, soft. */
function armsOf(cells: Cell[]): string[] {
  const rank = (a: string) =>
    a === 'single-task'
      ? 0
      : a.startsWith('hard w')
        ? 1
        : a === 'hard auto'
          ? 2
          : a.startsWith('hard depth')
            ? 3
            : 4;
  return [...new Set(cells.map((c) => c.arm))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

function accuracyTable(cells: Cell[], which: 'primary' | 'aux'): string {
  const arms = armsOf(cells);
  const rows = pairs.flatMap((pair) =>
    perClass.map((n) => {
      const at = (arm: string) =>
        cells.find((c) => c.pair === pair && c.perClass === n && c.arm === arm);
      const task = PAIRS[pair].tasks[which === 'primary' ? 0 : 1];
      return [`${pair} (${task})`, String(n), ...arms.map((arm) => pct(at(arm)?.[which] ?? NaN))];
    }),
  );
  return table(['pair (task)', 'img/class', ...arms], rows);
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ slots, trainerEnv: { ...process.env } });
  const started = new Date();
  const load = [loadavg()[0]!];
  let cells: Cell[];
  try {
    cells = await runAll(stack);
    load.push(loadavg()[0]!);
  } finally {
    await stack.stop();
  }
  const wall = (Date.now() - started.getTime()) / 1000;
  console.log(`## Primary task: validation accuracy (last epoch), base ${base}\n`);
  console.log(accuracyTable(cells, 'primary'));
  console.log(`\n## Auxiliary task: validation accuracy (last epoch)\n`);
  console.log(accuracyTable(cells, 'aux'));
  const timed = cells.filter((c) => Number.isFinite(c.seconds));
  const mean = timed.reduce((s, c) => s + c.seconds, 0) / timed.length;
  console.log(
    [
      '',
      `${started.toISOString()}; ${wall.toFixed(0)} s wall; ${slots} slots; 1-min load ${load.map((l) => l.toFixed(1)).join(' → ')}.`,
      `pairs ${pairs.map((p) => `${p} = ${PAIRS[p].dataset} (${PAIRS[p].tasks.join(' + ')})`).join(', ')};`,
      `batch 32, adam, headLr 1e-3, baseLr ${baseLr}, freezeDepth ${freezeDepth}, augment none; seed ${seed}; val ${valPerClass}/class;`,
      `epochs ${perClass.map((n, i) => `${epochsFor(i)} at ${n}/class`).join(', ')}; one seed per cell.`,
      `trial seconds (mean): ${mean.toFixed(1)}.`,
    ].join('\n'),
  );
  const caption = `${base}; ${pairs.join(' / ')}; ${started.toISOString().slice(0, 10)}; one seed per bar`;
  writeFileSync(
    svgPath,
    multitaskSvg({
      cells,
      arms: armsOf(cells),
      panels: pairs.flatMap((pair) =>
        perClass.map((n) => ({ pair, perClass: n, tasks: [...PAIRS[pair].tasks] })),
      ),
      caption,
    }),
  );
  console.error(`chart written to ${svgPath}`);
}

await main();
