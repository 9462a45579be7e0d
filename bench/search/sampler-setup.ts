import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, samplerVenv } from '@retune/worker';

/**
 * The sampler worker's venv for bench:search, set up on first use (samplers/optuna/setup.sh:
 * ~350 MB from PyPI; torch from the PyTorch trainer's venv when that exists), or why not.
 */
export function samplerSetup(): ReturnType<typeof samplerVenv> {
  const ready = samplerVenv(repoRoot);
  if ('python' in ready) return ready;
  const made = spawnSync('bash', [join(repoRoot, 'samplers', 'optuna', 'setup.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return made.status === 0 ? samplerVenv(repoRoot) : ready;
}
