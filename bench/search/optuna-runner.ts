/**
 * Optuna 5 next to Retune in `bench:search`: a pinned venv under ~/.cache/retune (created on
 * first use with `python3 -m venv` + pip from PyPI) runs optuna_runner.py; trials are scored here,
 * with the same task curves and the same bookkeeping as Retune's runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RunAccount, type RunLimits } from './retune-runner';
import type { RunResult } from './stats';
import type { SearchTask } from './task';

export const OPTUNA_PINS = ['optuna==5.0.0', 'cmaes==0.13.1', 'scipy==1.17.1'];
const venv = join(homedir(), '.cache', 'retune', 'venv-optuna-5.0.0');
const python = join(venv, 'bin', 'python');

/** The venv's python, creating the venv when needed; or why Optuna cannot run here. */
export function optunaPython(): { python: string } | { skip: string } {
  const ok = () =>
    existsSync(python) &&
    spawnSync(python, ['-c', 'import optuna, cmaes; assert optuna.__version__ == "5.0.0"'])
      .status === 0;
  if (ok()) return { python };
  if (spawnSync('python3', ['--version']).status !== 0) return { skip: 'python3 is not installed' };
  console.error(`creating ${venv} (${OPTUNA_PINS.join(' ')}) …`);
  const made = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  if (made.status !== 0) return { skip: `python3 -m venv ${venv} failed` };
  const pip = spawnSync(join(venv, 'bin', 'pip'), ['install', '-q', ...OPTUNA_PINS], {
    stdio: 'inherit',
  });
  if (pip.status !== 0 || !ok()) return { skip: `pip install ${OPTUNA_PINS.join(' ')} failed` };
  return { python };
}

type Msg = {
  ready?: { optuna: string; gpUnavailable: string | null };
  ask?: Record<string, unknown>;
  told?: { epochs: number; final: number | null };
};

/** One long-lived optuna_runner.py process; runs are sequential. */
export class OptunaSession {
  private readonly child;
  private readonly queue: Msg[] = [];
  private waiting: { resolve: (m: Msg) => void; reject: (e: Error) => void } | null = null;
  ready!: NonNullable<Msg['ready']>;

  constructor(pythonPath: string) {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'optuna_runner.py');
    this.child = spawn(pythonPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as Msg;
      const w = this.waiting;
      this.waiting = null;
      if (w) w.resolve(msg);
      else this.queue.push(msg);
    });
    this.child.on('exit', (code) => {
      this.waiting?.reject(new Error(`optuna_runner.py exited (${code})`));
      this.waiting = null;
    });
  }

  private next(): Promise<Msg> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private send(obj: unknown) {
    this.child.stdin.write(JSON.stringify(obj) + '\n');
  }

  async start(): Promise<this> {
    this.ready = (await this.next()).ready!;
    return this;
  }

  async run(
    task: SearchTask,
    sampler: string,
    pruner: string,
    seed: number,
    limits: RunLimits,
    /** SuccessiveHalving's first rung. */
    minResource = 1,
  ): Promise<RunResult> {
    this.send({
      run: { sampler, pruner, seed, epochs: task.epochs, minResource, space: task.space },
    });
    const account = new RunAccount(task, limits);
    for (;;) {
      const { ask } = await this.next();
      this.send({ curve: task.curve(ask as never) });
      const { told } = await this.next();
      account.record(told!.epochs, told!.final);
      const done = account.done();
      this.send(done ? { stop: true } : { next: true });
      if (done) return account.result();
    }
  }

  close() {
    this.child.stdin.end();
  }
}
