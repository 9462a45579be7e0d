/**
 * Search efficiency on the synthetic trainer's known objective: how many trial-epochs random,
 * TPE, random+ASHA and TPE+ASHA need before a trial finishes within 1 % of the grid's best,
 * over 5 seeds each. Trials run one at a time through the same Study the sweep workflow uses,
 * with the synthetic trainer's learning curve. Prints a table; not a test.
 *
 *   npm run bench:search [-- --seeds 5 --epochs 9 --max-trials 300]
 */
import { createSweepStudy, expandGrid, parseSweepSpec, type SweepSpecInput } from '@retune/core';
import { finalValAcc } from '@retune/synthetic-trainer/objective';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const seeds = arg('seeds', 5);
const epochs = arg('epochs', 9);
const maxTrials = arg('max-trials', 300);

const searchSpace: SweepSpecInput['searchSpace'] = {
  headLr: { type: 'loguniform', min: 1e-4, max: 1, gridPoints: 5 },
  freezeDepth: { type: 'int', min: 0, max: 6, step: 2 },
  dropout: { type: 'uniform', min: 0, max: 0.6, gridPoints: 4 },
  augment: { type: 'choice', values: ['none', 'light', 'heavy'] },
};

/** The synthetic trainer's val_acc after `epoch` (0-based) of `total` epochs. */
function curve(target: number, epoch: number, total: number): number {
  const progress = 1 - Math.exp((-3 * (epoch + 1)) / total);
  return (target * (0.5 + 0.5 * progress)) / (0.5 + 0.5 * (1 - Math.exp(-3)));
}

const base = { name: 'bench', dataset: 'synthetic', baseModel: 'none', searchSpace };
const grid = expandGrid(parseSweepSpec({ ...base, algorithm: 'grid' }).searchSpace);
const gridBest = Math.max(...grid.map(finalValAcc));
const goal = 0.99 * gridBest;

const methods: { name: string; spec: Partial<SweepSpecInput> }[] = [
  { name: 'random', spec: { algorithm: 'random' } },
  { name: 'TPE', spec: { algorithm: 'tpe' } },
  {
    name: 'random + ASHA',
    spec: {
      algorithm: 'random',
      earlyStopping: { type: 'asha', minResource: 1, reductionFactor: 3 },
    },
  },
  {
    name: 'TPE + ASHA',
    spec: { algorithm: 'tpe', earlyStopping: { type: 'asha', minResource: 1, reductionFactor: 3 } },
  },
];

/** Trial-epochs spent until a completed trial reaches the goal (Infinity if never). */
function run(specInput: Partial<SweepSpecInput>, seed: number): { epochs: number; trials: number } {
  const spec = parseSweepSpec({ ...base, ...specInput, maxTrials: maxTrials, seed });
  const study = createSweepStudy(spec);
  let spent = 0;
  for (let n = 0; n < maxTrials; n++) {
    const { number, params } = study.ask();
    const target = finalValAcc(params);
    let pruned = false;
    for (let e = 0; e < epochs; e++) {
      spent++;
      study.report(number, e + 1, curve(target, e, epochs));
      if (e < epochs - 1 && study.shouldPrune(number)) {
        pruned = true;
        break;
      }
    }
    if (pruned) {
      study.tell(number, { state: 'pruned' });
      continue;
    }
    const value = curve(target, epochs - 1, epochs);
    study.tell(number, { state: 'completed', values: [value] });
    if (value >= goal) return { epochs: spent, trials: n + 1 };
  }
  return { epochs: Infinity, trials: maxTrials };
}

const rows = methods.map((m) => {
  const results = Array.from({ length: seeds }, (_, s) => run(m.spec, s + 1));
  const es = results.map((r) => r.epochs);
  const finite = es.filter(Number.isFinite);
  const mean =
    finite.length === es.length ? finite.reduce((a, b) => a + b, 0) / es.length : Infinity;
  const sorted = [...es].sort((a, b) => a - b);
  return { name: m.name, mean, median: sorted[Math.floor(seeds / 2)]!, es };
});

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : `>${maxTrials * epochs}`);
const header = ['method', 'mean trial-epochs', 'median', 'per seed'];
const lines = rows.map((r) => [r.name, fmt(r.mean), fmt(r.median), r.es.map(fmt).join(' ')]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const out = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(
  `goal: val_acc >= ${goal.toFixed(4)} (99 % of the ${grid.length}-point grid's best ${gridBest.toFixed(4)}); ${epochs} epochs per full trial; ${seeds} seeds`,
);
console.log(out(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const l of lines) console.log(out(l));
console.log(`(the full grid costs ${grid.length * epochs} trial-epochs)`);
