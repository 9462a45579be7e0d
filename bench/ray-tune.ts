/**
 * Ray Tune beside Retune in bench:overhead: a pinned venv (created from PyPI on first use under
 * .tools/, which git ignores) and one run of bench/ray/tune_overhead.py. Missing Python or a
 * failed install is a skip with its reason, never a failure of the Retune rows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const RAY_PIN = 'ray[tune]==2.60.0';
const VENV = 'ray-2.60.0';

export type RayRun = { makespan: number; init: number; errors: number } | { skipped: string };

function venvPython(repoRoot: string): string {
  return join(repoRoot, '.tools', VENV, 'bin', 'python');
}

/** The venv's python with Ray importable, installing it once; or why not. */
export function ensureRayVenv(repoRoot: string): { python: string } | { skipped: string } {
  const python = venvPython(repoRoot);
  const imports = () => spawnSync(python, ['-c', 'import ray.tune'], { stdio: 'ignore' }).status;
  if (existsSync(python) && imports() === 0) return { python };
  const system = process.env.PYTHON ?? 'python3';
  if (spawnSync(system, ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { skipped: `no ${system} on PATH (set PYTHON to a Python 3.9–3.12)` };
  }
  console.error(`installing ${RAY_PIN} into .tools/${VENV} (once; large)…`);
  const venv = spawnSync(system, ['-m', 'venv', join(repoRoot, '.tools', VENV)], {
    stdio: 'inherit',
  });
  if (venv.status !== 0) return { skipped: `${system} -m venv failed` };
  const pip = spawnSync(python, ['-m', 'pip', 'install', '-q', RAY_PIN], { stdio: 'inherit' });
  if (pip.status !== 0 || imports() !== 0) {
    return { skipped: `pip install ${RAY_PIN} failed (see above)` };
  }
  return { python };
}

/** N trials sleeping `seconds` on `slots` concurrent trials with reused actors. */
export function runRayTune(
  python: string,
  repoRoot: string,
  trials: number,
  slots: number,
  seconds: number,
): RayRun {
  const script = join(repoRoot, 'bench', 'ray', 'tune_overhead.py');
  const run = spawnSync(python, [script, String(trials), String(slots), String(seconds)], {
    encoding: 'utf8',
    env: { ...process.env, RAY_DEDUP_LOGS: '0', RAY_USAGE_STATS_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as RayRun;
  } catch {
    const tail = run.stderr.trim().split('\n').slice(-5).join('\n');
    return { skipped: `Ray Tune run failed (exit ${run.status}): ${tail}` };
  }
}
