/**
 * Search efficiency, Retune next to Optuna 5, in one invocation: for each task and method, over
 * many seeds, the trial-epochs until a completed trial reaches the task's goal (median and mean,
 * with bootstrap 95 % intervals) and the regret of the best completed trial after a fixed budget
 * of trial-epochs. Trials run one at a time; Retune's go through the Study a sweep workflow uses,
 * Optuna's through optuna_runner.py (a pinned venv, created on first use; skipped with the reason
 * when Python or the install is missing). Tasks:
 *
 * - `synthetic`: the synthetic trainer's known objective and learning curve (goal: 99 % of the
 *   grid's best), the task of the issue's figures.
 * - `branin`, `hartmann6`: standard test functions with a learning-curve model (function-tasks).
 * - `transfer`: the demo transfer task's 72-point table (bench/search/transfer-task.ts): the
 *   cached one (~/.cache/retune), else the committed bench/search/transfer-table.json;
 *   --train-transfer trains what the cache lacks first (slow; --train-jobs 2 trains two at a time).
 * - `real-transfer`: the same 72-point space on a real backbone (EfficientNet-Lite0, ImageNet
 *   weights, Fashion-MNIST 5–9 at 32×32): the cached table, else the committed
 *   bench/search/transfer-table-real.json; --train-transfer as above.
 * - `shifting-lr`: the synthetic trainer's `landscape: shifting-lr` (the best learning rate falls
 *   during training; PBT's home ground, the task of its workflow test).
 *
 * Prints markdown tables; not a test.
 *
 *   npm run bench:search [-- --tasks transfer,real-transfer,synthetic,branin,hartmann6,shifting-lr
 *     --seeds 100 --optuna-seeds 100 --epochs 9 --max-trials 300 --budget-trials 30 --no-optuna
 *     --gp-seeds 10 --gp-max-trials 100 --only random,tpe,bohb,gp,cmaes,pbt --first-seed 1
 *     --asha-min-resource 1 --jobs 2]
 *
 * `--only` keeps the methods of those samplers (Retune's algorithm, Optuna's sampler; `pbt`).
 * `--jobs 2` runs the invocation as parts (per task: Retune's and Optuna's rows, GP and CMA-ES
 * apart) in two processes and prints the same tables (bench/search/parallel-parts.ts).
 */
import { cpus, loadavg } from 'node:os';
import { parseSweepSpec, SpecError, type SweepSpecInput } from '@retune/core';
import { braninTask, hartmann6Task } from './search/function-tasks';
import { OptunaSession, optunaPython } from './search/optuna-runner';
import { NOTE_PREFIX, runInParts, type SearchPart } from './search/parallel-parts';
import { runPbt } from './search/pbt-runner';
import { runRetune, runRetuneOptuna, type RunLimits } from './search/retune-runner';
import { samplerSetup } from './search/sampler-setup';
import { SuggestSession } from './search/suggest-session';
import { summarise, type RunResult, type Summary } from './search/stats';
import { shiftingLrTask } from './search/shifting-lr-task';
import { syntheticTask } from './search/synthetic-task';
import type { SearchTask } from './search/task';
import { transferTask } from './search/transfer-task';
import { scriptArg, scriptFlag, scriptNumber } from '@retune/tools/script-args';

const taskNames = scriptArg(
  'tasks',
  'transfer,real-transfer,synthetic,branin,hartmann6,shifting-lr',
).split(',');
const seeds = scriptNumber('seeds', 100);
const optunaSeeds = scriptNumber('optuna-seeds', seeds);
// Seeds firstSeed, firstSeed + 1, …: another set of seeds checks that a gap is not seed luck.
const firstSeed = scriptNumber('first-seed', 1);
const epochs = scriptNumber('epochs', 9);
const maxTrials = scriptNumber('max-trials', 300);
const budgetTrials = scriptNumber('budget-trials', 30);
// A GP ask refits the model (~1 s at 50 trials on a loaded 2-core machine): fewer seeds, fewer trials.
const gpSeeds = scriptNumber('gp-seeds', Math.min(seeds, 10));
const gpMaxTrials = scriptNumber('gp-max-trials', 100);
const only = scriptArg('only', '').split(',').filter(Boolean);
const wanted = (sampler: string) => only.length === 0 || only.includes(sampler);
// --jobs N runs the tasks as parts (Retune rows, Optuna rows) in N processes; a part prints one.
const jobs = scriptNumber('jobs', 1);
const part = scriptArg('part', '') as SearchPart | '';

// ASHA's and SuccessiveHalving's first rung (epochs), both engines.
const ashaMinResource = scriptNumber('asha-min-resource', 1);
const asha = { type: 'asha', minResource: ashaMinResource, reductionFactor: 3 } as const;
const retuneMethods = (task: SearchTask): { name: string; spec: Partial<SweepSpecInput> }[] => {
  const hyperband = { type: 'hyperband', maxResource: task.epochs, reductionFactor: 3 } as const;
  return [
    { name: 'random', spec: { algorithm: 'random' } },
    { name: 'TPE', spec: { algorithm: 'tpe' } },
    {
      name: 'TPE (independent, before)',
      spec: { algorithm: 'tpe', tpe: { multivariate: false, skipTried: false } },
    },
    { name: 'TPE (repeats tried params)', spec: { algorithm: 'tpe', tpe: { skipTried: false } } },
    { name: 'TPE + ASHA', spec: { algorithm: 'tpe', earlyStopping: asha } },
    {
      name: 'TPE + ASHA (repeats tried params)',
      spec: { algorithm: 'tpe', earlyStopping: asha, tpe: { skipTried: false } },
    },
    { name: 'TPE + Hyperband', spec: { algorithm: 'tpe', earlyStopping: hyperband } },
    { name: 'BOHB', spec: { algorithm: 'bohb', earlyStopping: hyperband } },
    // Through the sampler worker's suggest (Optuna's samplers, asked as a sweep workflow asks).
    { name: 'GP (Optuna GPSampler via the sampler worker)', spec: { algorithm: 'gp' } },
    { name: 'CMA-ES (Optuna CmaEsSampler via the sampler worker)', spec: { algorithm: 'cmaes' } },
  ];
};
const optunaMethods = [
  { name: 'TPESampler', sampler: 'tpe', pruner: 'nop' },
  { name: 'TPESampler + SuccessiveHalving', sampler: 'tpe', pruner: 'sh' },
  { name: 'TPESampler + Hyperband', sampler: 'tpe', pruner: 'hyperband' },
  { name: 'GPSampler', sampler: 'gp', pruner: 'nop' },
  { name: 'CmaEsSampler', sampler: 'cmaes', pruner: 'nop' },
];

/** A spec the launch would refuse (e.g. CMA-ES on an all-choice space): its message. */
function launchError(task: SearchTask, spec: Partial<SweepSpecInput>): string | null {
  try {
    parseSweepSpec({
      name: 'b',
      dataset: 'd',
      baseModel: 'b',
      searchSpace: task.space,
      maxTrials: 1,
      ...spec,
    });
    return null;
  } catch (err) {
    return err instanceof SpecError ? err.issues.map((i) => i.message).join('; ') : String(err);
  }
}

async function loadTask(name: string): Promise<SearchTask | string> {
  switch (name) {
    case 'synthetic':
      return syntheticTask({ epochs });
    case 'branin':
      return braninTask({ epochs });
    case 'hartmann6':
      return hartmann6Task({ epochs });
    case 'transfer':
    case 'real-transfer':
      return transferTask({
        table: name,
        epochs: 6,
        cachedOnly: !scriptFlag('train-transfer'),
        jobs: scriptNumber('train-jobs', 1),
      });
    case 'shifting-lr':
      return shiftingLrTask();
    default:
      throw new Error(
        `--tasks: unknown task ${name}; use synthetic, branin, hartmann6, transfer, real-transfer, shifting-lr`,
      );
  }
}

/** The closing line's run description (both the single-process run and --jobs print it). */
function footer(minutes: number): string {
  return `${seeds} seeds (from ${firstSeed}) per Retune method, ${optunaSeeds} per Optuna method; GP rows (both engines): ${gpSeeds} seeds, at most ${gpMaxTrials} trials; ∞: some seeds never reached the goal within the trial cap; ${minutes.toFixed(1)} min`;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '∞');
const fmtR = (n: number) => (Number.isFinite(n) ? n.toPrecision(2) : '∞');
const row = (engine: string, name: string, s: Summary, fmtCell = fmt) =>
  `| ${engine} | ${name} | ${s.reached}/${s.seeds} | ${fmtCell(s.median)} [${fmtCell(s.medianCi[0])}, ${fmtCell(s.medianCi[1])}] | ${fmtCell(s.mean)} [${fmtCell(s.meanCi[0])}, ${fmtCell(s.meanCi[1])}] | ${fmtR(s.regretMean)} [${fmtR(s.regretMeanCi[0])}, ${fmtR(s.regretMeanCi[1])}] |`;

/** GP asks are slow: its rows run fewer seeds and fewer trials (both engines). */
const gpLimits = (limits: RunLimits): RunLimits => ({
  ...limits,
  maxTrials: Math.min(limits.maxTrials, gpMaxTrials),
});

function printSection(task: SearchTask, limits: RunLimits): void {
  console.log(`\n### ${task.name}: ${task.description}`);
  console.log(
    `goal: ${task.metric} ≥ ${task.goal.toPrecision(5)} (${task.goalText}; best ${task.best.toPrecision(5)}); ${task.epochs} epochs per full trial; at most ${limits.maxTrials} trials; regret after ${limits.regretBudget} trial-epochs (${budgetTrials} full trials)\n`,
  );
  console.log(
    '| engine | method | reached goal | trial-epochs to goal: median [95 % CI] | mean [95 % CI] | regret at budget: mean [95 % CI] |',
  );
  console.log('|---|---|---|---|---|---|');
}

async function printRetuneRows(
  task: SearchTask,
  limits: RunLimits,
  suggester: SuggestSession | null,
): Promise<void> {
  for (const m of retuneMethods(task).filter((m) => wanted(m.spec.algorithm!))) {
    const algorithm = m.spec.algorithm;
    if (algorithm !== 'gp' && algorithm !== 'cmaes') {
      const runs = Array.from({ length: seeds }, (_, s) =>
        runRetune(task, m.spec, s + firstSeed, limits),
      );
      console.log(row('Retune', m.name, summarise(runs)));
      continue;
    }
    const refused = launchError(task, m.spec);
    if (!suggester || refused) {
      console.log(
        `| Retune | ${m.name} | ${refused ? `refused at launch: ${refused}` : 'skipped'} ||||`,
      );
      continue;
    }
    const gp = algorithm === 'gp';
    const lim = gp ? gpLimits(limits) : limits;
    const runs: RunResult[] = [];
    for (let s = 0; s < (gp ? gpSeeds : seeds); s++) {
      runs.push(
        await runRetuneOptuna(task, m.spec, s + firstSeed, lim, (r) => suggester.suggest(r)),
      );
    }
    console.log(row('Retune', m.name, summarise(runs)));
  }
  // PBT: 8 members, an interval of a third of the epochs (see bench/search/pbt-runner.ts).
  if (!wanted('pbt')) return;
  const pbt = { population: 8, interval: Math.max(1, Math.floor(task.epochs / 3)) };
  const pbtRuns = Array.from({ length: seeds }, (_, s) => runPbt(task, s + firstSeed, limits, pbt));
  const pbtName = `PBT (${pbt.population} members, every ${pbt.interval} epochs)`;
  console.log(row('Retune', pbtName, summarise(pbtRuns)));
}

async function printOptunaRows(
  task: SearchTask,
  limits: RunLimits,
  session: OptunaSession,
): Promise<void> {
  const engine = `Optuna ${session.ready.optuna}`;
  for (const m of optunaMethods.filter((m) => wanted(m.sampler))) {
    const gp = m.sampler === 'gp';
    if (gp && session.ready.gpUnavailable) {
      console.log(`| ${engine} | ${m.name} | skipped: ${session.ready.gpUnavailable} ||||`);
      continue;
    }
    const lim = gp ? gpLimits(limits) : limits;
    const runs: RunResult[] = [];
    for (let s = 0; s < (gp ? Math.min(gpSeeds, optunaSeeds) : optunaSeeds); s++) {
      runs.push(await session.run(task, m.sampler, m.pruner, s + firstSeed, lim, ashaMinResource));
    }
    console.log(row(engine, m.name, summarise(runs)));
  }
}

/** This process's part of the run (all of it without --part): sections and rows, in task order. */
async function runHere(): Promise<void> {
  const started = performance.now();
  const notes: string[] = [];
  const sampler = samplerSetup();
  const suggester =
    'python' in sampler && part !== 'optuna' ? new SuggestSession(sampler.python) : null;
  if (!suggester && part !== 'optuna') {
    notes.push(`Retune GP/CMA-ES skipped: ${'skip' in sampler ? sampler.skip : ''}`);
  }
  // The sampler venv pins the same Optuna and has torch (GPSampler): Optuna's rows use it when it can.
  const optuna = scriptFlag('no-optuna')
    ? { skip: '--no-optuna' }
    : part === 'retune'
      ? { skip: 'not this part' }
      : 'python' in sampler && sampler.torch
        ? { python: sampler.python }
        : optunaPython();
  const session = 'python' in optuna ? await new OptunaSession(optuna.python).start() : null;
  if (!session && part !== 'retune') {
    notes.push(`Optuna skipped: ${'skip' in optuna ? optuna.skip : ''}`);
  }
  for (const name of taskNames) {
    const task = await loadTask(name);
    if (typeof task === 'string') {
      console.log(`\n### ${name}: skipped (${task})`);
      continue;
    }
    const limits = {
      maxTrials: task.maxTrials ?? maxTrials,
      regretBudget: budgetTrials * task.epochs,
    };
    printSection(task, limits);
    if (part !== 'optuna') await printRetuneRows(task, limits, suggester);
    if (session) await printOptunaRows(task, limits, session);
  }
  session?.close();
  suggester?.close();
  const minutes = (performance.now() - started) / 60_000;
  if (part) {
    for (const n of notes) console.log(NOTE_PREFIX + n);
    return;
  }
  const load = loadavg()[0]!.toFixed(1);
  console.log(`\n${footer(minutes)} on ${cpus().length} cores (load average ${load} at the end).`);
  for (const n of notes) console.log(n);
}

if (jobs > 1 && !part) {
  await runInParts({ tasks: taskNames, jobs, argv: process.argv.slice(2), only, footer });
} else {
  await runHere();
}
