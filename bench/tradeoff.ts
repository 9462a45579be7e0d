/**
 * The seed's transfer-learning trade-offs on a real backbone, through the real stack (Temporal
 * dev server, workers, SQLite, one tfjs trainer process per trial): freeze strategy (feature
 * extraction, partial, full fine-tuning, and training the same network from scratch) × images per
 * class × in-domain (Fashion-MNIST 5–9) vs shifted (the same classes, inverted) on
 * EfficientNet-Lite0 with ImageNet weights; then accuracy against `baseLr` (full fine-tuning,
 * in-domain). Prints markdown tables and writes an SVG chart. Not a test.
 *
 *   npm run bench:tradeoff -- [--quick] [--size 32] [--per-class 10,100,1000] [--epochs 12,4,2]
 *       [--val-per-class 100] [--base-lrs 1e-4,1e-3,1e-2,1e-1] [--lr-per-class 100]
 *       [--slots 2] [--seeds 1,2] [--svg docs/tradeoff.svg]
 *
 * `--epochs` is one value, or one per `--per-class` entry (fewer images → more epochs, so that
 * small sets are not simply under-trained). The scratch arm is `scratch:efficientnet-lite0@SIZE`
 * (the same architecture, seeded random weights) trained in full. Converted bases are cached in
 * RETUNE_MODEL_CACHE (default ~/.cache/retune/models). Each `--seeds` entry repeats the strategy
 * sweeps with that sweep seed (initialisation, shuffling; the images are the same, dataSeed 0);
 * tables show the mean over seeds and, with several, the range. The baseLr sweep runs once.
 */
import { writeFileSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepDetail } from '@retune/core';
import { scriptArg, scriptFlag } from '@retune/tools/script-args';
import { startBenchStack, type BenchStack } from './stack';
import { tradeoffSvg, type Series } from './tradeoff-chart';

const opt = {
  quick: scriptFlag('quick'),
  size: scriptArg('size', '32'),
  'per-class': scriptArg('per-class', '') || undefined,
  epochs: scriptArg('epochs', '') || undefined,
  'val-per-class': scriptArg('val-per-class', '') || undefined,
  'base-lrs': scriptArg('base-lrs', '') || undefined,
  'lr-per-class': scriptArg('lr-per-class', '') || undefined,
  slots: scriptArg('slots', '2'),
  seeds: scriptArg('seeds', scriptArg('seed', '1')),
  // A --quick smoke run must not overwrite the README's chart.
  svg: scriptArg(
    'svg',
    scriptFlag('quick') ? join(tmpdir(), 'retune-tradeoff-quick.svg') : 'docs/tradeoff.svg',
  ),
};

const numbers = (flag: string, text: string): number[] => {
  const list = text.split(',').map(Number);
  if (list.some((n) => !Number.isFinite(n) || n <= 0)) {
    throw new Error(`--${flag} takes positive numbers separated by commas, got "${text}"`);
  }
  return list;
};
const quick = opt.quick;
const size = numbers('size', opt.size)[0]!;
const perClass = numbers('per-class', opt['per-class'] ?? (quick ? '5,20' : '10,100,1000'));
const epochList = numbers('epochs', opt.epochs ?? (quick ? '1' : '12,4,2'));
if (epochList.length !== 1 && epochList.length !== perClass.length) {
  throw new Error('--epochs takes one value or one per --per-class entry');
}
const epochsFor = (i: number) => epochList[epochList.length === 1 ? 0 : i]!;
const valPerClass = numbers('val-per-class', opt['val-per-class'] ?? (quick ? '10' : '100'))[0]!;
const baseLrs = numbers(
  'base-lrs',
  opt['base-lrs'] ?? (quick ? '1e-3,1e-1' : '1e-4,1e-3,1e-2,1e-1'),
);
const lrPerClass = numbers(
  'lr-per-class',
  opt['lr-per-class'] ?? String(perClass[1] ?? perClass[0]),
)[0]!;
const slots = numbers('slots', opt.slots)[0]!;
const seeds = numbers('seeds', opt.seeds);
const seed = seeds[0]!;

const PRETRAINED = `imagenet:efficientnet-lite0@${size}`;
const SCRATCH = `scratch:efficientnet-lite0@${size}`;
const STRATEGIES = ['feature-extraction', 'partial', 'full'] as const;
const DOMAINS = { 'in-domain': 'demo:fashion-5-9', shifted: 'demo:fashion-5-9-inverted' } as const;
type Domain = keyof typeof DOMAINS;
const ARMS = [...STRATEGIES, 'scratch'] as const;
type Arm = (typeof ARMS)[number];

interface Cell {
  seed: number;
  domain: Domain;
  arm: Arm;
  perClass: number;
  valAcc: number;
  bestValAcc: number;
  seconds: number;
}

function spec(
  name: string,
  dataset: string,
  baseModel: string,
  grid: Record<string, unknown[]>,
  sweepSeed = seed,
) {
  return {
    name,
    dataset,
    baseModel,
    trainer: { name: 'tfjs' },
    algorithm: 'grid',
    maxParallel: slots,
    seed: sweepSeed,
    trialTimeoutSeconds: 3 * 3600,
    searchSpace: Object.fromEntries(
      Object.entries(grid).map(([k, values]) => [k, { type: 'choice', values }]),
    ),
    fixed: { valPerClass, batchSize: 32, augment: 'none' },
  };
}

/** The completed trials of a sweep; a failed trial is an error naming its reason. */
function completed(sweep: SweepDetail) {
  const bad = sweep.trials.find((t) => t.status !== 'completed');
  if (bad)
    throw new Error(
      `${sweep.name}: trial ${bad.number} ${bad.status}: ${bad.error ?? sweep.error}`,
    );
  return sweep.trials;
}

async function strategySweeps(stack: BenchStack, sweepSeed: number): Promise<Cell[]> {
  const jobs = Object.entries(DOMAINS).flatMap(([domain, dataset]) =>
    perClass.flatMap((n, i) => {
      const grid: Record<string, unknown[]> = { trainPerClass: [n], epochs: [epochsFor(i)] };
      const label = `${domain} ${n}/class seed ${sweepSeed}`;
      const sweeps: {
        domain: string;
        base: string;
        name: string;
        grid: Record<string, unknown[]>;
      }[] = [
        {
          domain,
          base: PRETRAINED,
          name: `${label} pretrained`,
          grid: { ...grid, freezeDepth: [...STRATEGIES] },
        },
        {
          domain,
          base: SCRATCH,
          name: `${label} scratch`,
          // From scratch there are no pretrained features to protect: the base trains at
          // headLr, not at the fine-tuning default headLr/10.
          grid: { ...grid, freezeDepth: ['full'], baseLr: [1e-3] },
        },
      ];
      return sweeps.map((j) => ({ ...j, dataset }));
    }),
  );
  const sweeps = await Promise.all(
    jobs.map(async (j) => {
      const sweep = await stack.runSweep(spec(j.name, j.dataset, j.base, j.grid, sweepSeed));
      const accs = sweep.trials.map((t) => `${t.params['freezeDepth']} ${t.values['val_acc']}`);
      console.error(`  ${j.name}: ${accs.join(', ')}`); // survives a run cut short
      return { j, sweep };
    }),
  );
  return sweeps.flatMap(({ j, sweep }) =>
    completed(sweep).map((t) => ({
      seed: sweepSeed,
      domain: j.domain as Domain,
      arm: (j.base === SCRATCH ? 'scratch' : t.params['freezeDepth']) as Arm,
      perClass: Number(t.params['trainPerClass']),
      valAcc: t.values['val_acc'] ?? NaN,
      bestValAcc: t.values['best_val_acc'] ?? NaN,
      seconds: (t.durationMs ?? NaN) / 1000,
    })),
  );
}

async function baseLrSweep(stack: BenchStack): Promise<{ baseLr: number; valAcc: number }[]> {
  const i = Math.max(0, perClass.indexOf(lrPerClass));
  const sweep = await stack.runSweep(
    spec(`baseLr, full, in-domain ${lrPerClass}/class`, DOMAINS['in-domain'], PRETRAINED, {
      baseLr: baseLrs,
      freezeDepth: ['full'],
      headLr: [1e-3],
      trainPerClass: [lrPerClass],
      epochs: [epochsFor(i)],
    }),
  );
  return completed(sweep)
    .map((t) => ({ baseLr: Number(t.params['baseLr']), valAcc: t.values['val_acc'] ?? NaN }))
    .sort((a, b) => a.baseLr - b.baseLr);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  return [line(header), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
}

/** Mean, min and max of one cell's val_acc over the seeds (NaN when none ran). */
function acrossSeeds(cells: Cell[], domain: string, arm: Arm, n: number) {
  const accs = cells
    .filter((c) => c.domain === domain && c.arm === arm && c.perClass === n)
    .map((c) => c.valAcc);
  const mean = accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : NaN;
  return { mean, min: Math.min(...accs), max: Math.max(...accs), count: accs.length };
}

function strategyTable(cells: Cell[]): string {
  const rows = Object.keys(DOMAINS).flatMap((domain) =>
    perClass.map((n) => {
      const at = (arm: Arm) => acrossSeeds(cells, domain, arm, n);
      const show = (arm: Arm) => {
        const a = at(arm);
        const range = a.count > 1 ? ` (${pct(a.min).slice(0, -2)}–${pct(a.max)})` : '';
        return pct(a.mean) + range;
      };
      const best = ARMS.reduce((a, b) => ((at(b).mean || -1) > (at(a).mean || -1) ? b : a));
      return [domain, String(n), ...ARMS.map(show), best];
    }),
  );
  return table(['domain', 'img/class', ...ARMS, 'best'], rows);
}

async function main(): Promise<void> {
  const modelCache = process.env['RETUNE_MODEL_CACHE'] || join(homedir(), '.cache/retune/models');
  const stack = await startBenchStack({
    slots,
    trainerEnv: { ...process.env, RETUNE_MODEL_CACHE: modelCache },
  });
  const started = new Date();
  const load = [loadavg()[0]!];
  let cells: Cell[];
  let lrs: { baseLr: number; valAcc: number }[];
  try {
    console.error(
      `strategy sweeps: ${perClass.length * 2 * 2 * seeds.length} sweeps on ${slots} slots…`,
    );
    cells = (await Promise.all(seeds.map((s) => strategySweeps(stack, s)))).flat();
    load.push(loadavg()[0]!);
    console.error('baseLr sweep…');
    lrs = await baseLrSweep(stack);
    load.push(loadavg()[0]!);
  } finally {
    await stack.stop();
  }
  const wall = (Date.now() - started.getTime()) / 1000;
  const over = seeds.length > 1 ? `, mean (range) over seeds ${seeds.join(', ')}` : '';
  console.log(`## Validation accuracy (last epoch${over}), EfficientNet-Lite0 @${size}\n`);
  console.log(strategyTable(cells));
  console.log(
    `\n## Accuracy against baseLr (full fine-tuning, headLr 1e-3, in-domain, ${lrPerClass}/class)\n`,
  );
  console.log(
    table(
      ['baseLr', 'val_acc'],
      lrs.map((r) => [String(r.baseLr), pct(r.valAcc)]),
    ),
  );
  console.log(
    [
      '',
      `${started.toISOString()}; ${wall.toFixed(0)} s wall; ${slots} slots; 1-min load ${load.map((l) => l.toFixed(1)).join(' → ')}.`,
      `base ${PRETRAINED} (scratch: ${SCRATCH}, trained in full); batch 32, adam, headLr 1e-3,`,
      `baseLr headLr/10 (scratch 1e-3) unless swept; augment none; seeds ${seeds.join(',')}; val ${valPerClass}/class;`,
      `epochs ${perClass.map((n, i) => `${epochsFor(i)} at ${n}/class`).join(', ')}.`,
      `trial seconds (mean): ${(cells.reduce((s, c) => s + c.seconds, 0) / cells.length).toFixed(1)}.`,
    ].join('\n'),
  );
  const series: Series[] = Object.keys(DOMAINS).flatMap((domain) =>
    ARMS.map((arm) => ({
      label: `${arm}, ${domain}`,
      arm,
      dashed: domain === 'shifted',
      points: perClass
        .map((n) => [n, acrossSeeds(cells, domain, arm, n).mean] as [number, number])
        .filter(([, acc]) => Number.isFinite(acc)),
    })),
  );
  const caption = `EfficientNet-Lite0 @${size}, Fashion-MNIST 5–9; seeds ${seeds.join(', ')}; ${started.toISOString().slice(0, 10)}`;
  writeFileSync(opt.svg, tradeoffSvg({ series, lrs, caption, lrPerClass }));
  console.error(`chart written to ${opt.svg}`);
}

await main();
