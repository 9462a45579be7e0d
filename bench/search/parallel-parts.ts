import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapLimit } from '@retune/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = resolve(root, 'bench/search.ts');

/** What one child prints: one task's section with either Retune's or Optuna's rows. */
export type SearchPart = 'retune' | 'optuna';
export const NOTE_PREFIX = 'note: ';

/**
 * The samplers of each part (`--only`): GP and CMA-ES asks cost far more than the rest, so they
 * run apart (and first: see runPool). PBT's row comes last, as in the single-process run.
 */
const PART_SAMPLERS: Record<SearchPart, string[][]> = {
  retune: [['random', 'tpe', 'bohb'], ['gp'], ['cmaes'], ['pbt']],
  optuna: [['tpe'], ['gp'], ['cmaes']],
};

interface Unit {
  task: string;
  part: SearchPart;
  argv: string[];
}

/** The parts of a run: for each task, each engine's sampler groups that --only keeps. */
function units(tasks: readonly string[], argv: readonly string[], only: string[]): Unit[] {
  const base: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (['--tasks', '--jobs', '--only'].includes(argv[i]!)) i++;
    else base.push(argv[i]!);
  }
  return tasks.flatMap((task) =>
    (['retune', 'optuna'] as const).flatMap((part) =>
      PART_SAMPLERS[part]
        .map((group) => group.filter((s) => only.length === 0 || only.includes(s)))
        .filter((group) => group.length > 0)
        .map((group) => ({
          task,
          part,
          argv: [...base, '--tasks', task, '--part', part, '--only', group.join(',')],
        })),
    ),
  );
}

function runPart(argv: string[]): Promise<string> {
  return new Promise((resolvePart, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...argv], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePart(out)
        : reject(new Error(`bench:search ${argv.join(' ')}: exit ${code}`)),
    );
  });
}

// The slowest parts start first, so that the last to finish is not a long one started late.
const slowness = (u: Unit) => (u.argv.at(-1) === 'gp' ? 0 : u.argv.at(-1) === 'cmaes' ? 1 : 2);

/** Runs `units` `jobs` at a time; the promises resolve with each unit's output, in unit order. */
function runPool(all: Unit[], jobs: number): Promise<string>[] {
  const settles: ((p: Promise<string>) => void)[] = [];
  const outputs = all.map(() => new Promise<string>((r) => settles.push((p) => r(p))));
  const queue = all.map((u, i) => ({ u, i })).sort((a, b) => slowness(a.u) - slowness(b.u));
  void mapLimit(queue, Math.max(1, jobs), async ({ u, i }) => {
    const out = runPart(u.argv);
    settles[i]!(out);
    // A failed part fails where its output is awaited, not here: the pool goes on.
    await out.catch(() => undefined);
  });
  return outputs;
}

const isRow = (l: string) => l.startsWith('| ') && !l.startsWith('| engine');

/**
 * Runs one invocation's tasks as parts in `jobs` child processes at a time and prints every
 * task's section as the single-process run would: the section from its first part, then the rows
 * of all its parts, Retune's before Optuna's, each in the order the parts list their samplers.
 * Results do not depend on timing, so they equal the single-process run's; only the wall time
 * differs.
 */
export async function runInParts(opts: {
  tasks: readonly string[];
  jobs: number;
  argv: readonly string[];
  only: string[];
  footer: (minutes: number) => string;
}): Promise<void> {
  const started = performance.now();
  const all = units(opts.tasks, opts.argv, opts.only);
  const outputs = runPool(all, opts.jobs);
  const notes = new Set<string>();
  for (const task of opts.tasks) {
    const mine = all.map((u, i) => ({ u, i })).filter(({ u }) => u.task === task);
    const texts = await Promise.all(mine.map(({ i }) => outputs[i]!));
    const lines = texts.map((t) => t.split('\n'));
    for (const l of lines.flat().filter((l) => l.startsWith(NOTE_PREFIX))) {
      notes.add(l.slice(NOTE_PREFIX.length));
    }
    const section = lines[0]!.filter((l) => !isRow(l) && !l.startsWith(NOTE_PREFIX));
    const rows = [
      ...lines.flatMap((ls) => ls.filter((l) => l.startsWith('| Retune'))),
      ...lines.flatMap((ls) => ls.filter((l) => isRow(l) && !l.startsWith('| Retune'))),
    ];
    console.log([...section.filter((l, i, a) => l || a[i + 1]), ...rows].join('\n'));
  }
  const minutes = (performance.now() - started) / 60_000;
  const load = loadavg()[0]!.toFixed(1);
  console.log(
    `\n${opts.footer(minutes)}; ${all.length} parts, ${opts.jobs} at a time, on ${cpus().length} cores (load average ${load} at the end).`,
  );
  for (const n of notes) console.log(n);
}
