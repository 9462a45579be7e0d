import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = resolve(root, 'bench/search.ts');

/** What one child prints: one task's section, and either its Retune or its Optuna rows. */
export type SearchPart = 'retune' | 'optuna';
export const NOTE_PREFIX = 'note: ';

/** The command line of one part: the invocation's own, one task, one part, no --jobs. */
function partArgv(argv: readonly string[], task: string, part: SearchPart): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tasks' || argv[i] === '--jobs') i++;
    else out.push(argv[i]!);
  }
  return [...out, '--tasks', task, '--part', part];
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

/**
 * Runs one invocation's tasks as parts in `jobs` child processes at a time — each task's Retune
 * rows apart from its Optuna rows, since the search itself is one-threaded — and prints every
 * task's section in order, as the single-process run would. Results do not depend on timing, so
 * they are the same as with --jobs 1; only the wall time differs.
 */
export async function runInParts(
  tasks: readonly string[],
  jobs: number,
  argv: readonly string[],
  footer: (minutes: number) => string,
): Promise<void> {
  const started = performance.now();
  const units = tasks.flatMap((task) =>
    (['retune', 'optuna'] as const).map((part) => ({
      task,
      part,
      argv: partArgv(argv, task, part),
    })),
  );
  const outputs = units.map(() => {
    let settle!: { resolve: (s: string) => void; reject: (e: unknown) => void };
    const promise = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    return { promise, settle };
  });
  const queue = units.map((u, i) => ({ ...u, i }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await runPart(next.argv).then(
        outputs[next.i]!.settle.resolve,
        outputs[next.i]!.settle.reject,
      );
    }
  };
  const pool = Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  const notes = new Set<string>();
  for (const [i, unit] of units.entries()) {
    const lines = (await outputs[i]!.promise).split('\n');
    for (const l of lines.filter((l) => l.startsWith(NOTE_PREFIX)))
      notes.add(l.slice(NOTE_PREFIX.length));
    // The Retune part prints the section (heading, goal, table head); the Optuna part its rows.
    const keep =
      unit.part === 'retune'
        ? lines.filter((l) => !l.startsWith(NOTE_PREFIX))
        : lines.filter((l) => l.startsWith('| Optuna'));
    if (keep.length > 0) console.log(keep.join('\n').replace(/\n+$/, ''));
  }
  await pool;
  const minutes = (performance.now() - started) / 60_000;
  console.log(
    `\n${footer(minutes)}; ${units.length} parts, ${jobs} at a time, on ${cpus().length} cores (load average ${loadavg()[0]!.toFixed(1)} at the end).`,
  );
  for (const n of notes) console.log(n);
}
