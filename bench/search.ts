/**
 * Search efficiency: how many trial-epochs random, TPE, random+ASHA and TPE+ASHA need before a
 * trial finishes within 1 % of the grid's best, over 5 seeds each. Trials run one at a time
 * through the same Study the sweep workflow uses. Two tasks:
 *
 * - `synthetic` (default): the synthetic trainer's known objective and learning curve.
 * - `transfer`: the real demo transfer task (tfjs trainer, base demo:mnist-0-4-cnn pretrained on
 *   digits 0–4, target demo:mnist-5-9) as a tabular benchmark: every point of a 72-point grid is
 *   trained once (its per-epoch val_acc curve is cached under ~/.cache/retune), then each search
 *   replays those curves — so methods and seeds are compared on identical training outcomes.
 *
 * Prints a table; not a test.
 *
 *   npm run bench:search [-- --task synthetic|transfer --seeds 5 --epochs 9 --max-trials 300]
 */
import { createSweepStudy, expandGrid, parseSweepSpec, type SweepSpecInput } from '@retune/core';
import { syntheticTask } from './search/synthetic-task';
import { transferTask } from './search/transfer-task';
import type { SearchTask } from './search/task';
import { scriptArg } from '@retune/tools/script-args';

const taskName = scriptArg('task', 'synthetic');
const seeds = Number(scriptArg('seeds', '5'));
const maxTrials = Number(scriptArg('max-trials', '300'));

const task: SearchTask =
  taskName === 'transfer'
    ? await transferTask({ epochs: Number(scriptArg('epochs', '6')) })
    : taskName === 'synthetic'
      ? syntheticTask({ epochs: Number(scriptArg('epochs', '9')) })
      : (() => {
          throw new Error(`--task must be synthetic or transfer, got ${taskName}`);
        })();
const { epochs } = task;

const base = { name: 'bench', dataset: task.name, baseModel: 'none', searchSpace: task.space };
const grid = expandGrid(parseSweepSpec({ ...base, algorithm: 'grid' }).searchSpace);
const gridBest = Math.max(...grid.map((p) => task.curve(p).at(-1)!));
const goal = 0.99 * gridBest;

const asha = { type: 'asha', minResource: 1, reductionFactor: 3 } as const;
const methods: { name: string; spec: Partial<SweepSpecInput> }[] = [
  { name: 'random', spec: { algorithm: 'random' } },
  { name: 'TPE', spec: { algorithm: 'tpe' } },
  { name: 'random + ASHA', spec: { algorithm: 'random', earlyStopping: asha } },
  { name: 'TPE + ASHA', spec: { algorithm: 'tpe', earlyStopping: asha } },
];

/** Trial-epochs spent until a completed trial reaches the goal (Infinity if never). */
function run(specInput: Partial<SweepSpecInput>, seed: number): { epochs: number; trials: number } {
  const spec = parseSweepSpec({ ...base, ...specInput, maxTrials, seed });
  const study = createSweepStudy(spec);
  let spent = 0;
  for (let n = 0; n < maxTrials; n++) {
    const { number, params } = study.ask();
    const curve = task.curve(params);
    let pruned = false;
    for (let e = 0; e < epochs; e++) {
      spent++;
      study.report(number, e + 1, curve[e]!);
      if (e < epochs - 1 && study.shouldPrune(number)) {
        pruned = true;
        break;
      }
    }
    if (pruned) {
      study.tell(number, { state: 'pruned' });
      continue;
    }
    const value = curve[epochs - 1]!;
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
console.log(`task: ${task.description}`);
console.log(
  `goal: ${task.metric} >= ${goal.toFixed(4)} (99 % of the ${grid.length}-point grid's best ${gridBest.toFixed(4)}); ${epochs} epochs per full trial; ${seeds} seeds`,
);
console.log(out(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const l of lines) console.log(out(l));
console.log(`(the full grid costs ${grid.length * epochs} trial-epochs)`);
