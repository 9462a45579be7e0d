import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The Python sampler worker (samplers/optuna: Optuna's GP and CMA-ES on the retune-sampler task
 * queue) as a child of this worker. Its venv is set up by samplers/optuna/setup.sh, the one
 * place that knows where it lives.
 */
const script = (repoRoot: string, name: string) => join(repoRoot, 'samplers', 'optuna', name);

/** The venv's python when it is set up (installs nothing), or why not. */
export function samplerVenv(
  repoRoot: string,
): { python: string; torch: boolean } | { skip: string } {
  const check = spawnSync('bash', [script(repoRoot, 'setup.sh'), '--check'], { encoding: 'utf8' });
  const python = check.stdout.trim().split('\n').pop() ?? '';
  if (check.status !== 0 || !python) {
    return { skip: check.stderr.trim() || 'samplers/optuna/setup.sh --check failed' };
  }
  const torch = spawnSync(python, ['-c', 'import torch']).status === 0;
  return { python, torch };
}

export interface SamplerWorker {
  child: ChildProcess;
  /** Resolves once it polls its task queue; rejects when it exits before. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts samplers/optuna/run.sh (which creates the venv first when needed: about a minute,
 * once). Its output goes to `log`, line by line.
 */
export function startSamplerWorker(opts: {
  repoRoot: string;
  address: string;
  namespace: string;
  /** The environment it runs in (PATH to find python3 for the first set-up). */
  env: Record<string, string | undefined>;
  log?: (line: string) => void;
}): SamplerWorker {
  const child = spawn(
    'bash',
    [script(opts.repoRoot, 'run.sh'), '--address', opts.address, '--namespace', opts.namespace],
    { env: { ...opts.env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = opts.log ?? (() => {});
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log(line);
        if (line.includes('retune sampler worker: polling')) resolve();
      });
    }
    child.on('exit', (code) => reject(new Error(`the sampler worker exited (${code})`)));
  });
  ready.catch(() => {});
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, ready, stop };
}
