import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTemporalSweepGateway, launchSweep } from '@retune/api';
import { sweepWorkflowId, type SweepResult, type SweepSpecInput } from '@retune/core';
import { samplerVenv, startSamplerWorker, type SamplerWorker } from './sampler-worker';
import { startTestStack, type TestStack } from './test-support/test-stack';

/**
 * gp and cmaes sweeps through the whole stack: launch → Temporal dev server → the sweep
 * workflow asking the Python sampler worker (Optuna) for each trial's params → synthetic
 * trainer → SQLite. Skipped, with the reason, when the sampler venv is not set up (.ci/run sets
 * it up); the gp sweep also needs torch in it (samplers/optuna/setup.sh).
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const venv = samplerVenv(repoRoot);
const skip = 'skip' in venv ? venv.skip : null;
const noTorch = 'torch' in venv && !venv.torch ? 'no torch in the sampler venv' : skip;

let stack: TestStack | undefined;
let sampler: SamplerWorker | undefined;

beforeAll(async () => {
  if (skip) return;
  stack = await startTestStack({
    temporalBin: inject('temporalBin'),
    dirPrefix: 'retune-optuna-',
    workerId: 'optuna-worker',
    slots: 2,
    bundle: true,
    heartbeatIntervalMs: 200,
  });
  sampler = startSamplerWorker({
    repoRoot,
    address: stack.env.address,
    namespace: 'default',
    env: process.env,
  });
  await sampler.ready;
}, 240_000);

afterAll(async () => {
  await sampler?.stop();
  await stack?.stop();
});

const spec = (extra: Partial<SweepSpecInput>): SweepSpecInput => ({
  name: 'optuna e2e',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  trainer: { name: 'synthetic' },
  algorithm: 'gp',
  maxTrials: 6,
  maxParallel: 2,
  fixed: { epochs: 2 },
  searchSpace: {
    headLr: { type: 'loguniform', min: 1e-4, max: 1 },
    dropout: { type: 'uniform', min: 0, max: 0.6 },
    augment: { type: 'choice', values: ['none', 'light'] },
  },
  ...extra,
});

async function runSweep(input: SweepSpecInput) {
  const { repos, env } = stack!;
  const sweep = await launchSweep(
    { repos, temporal: createTemporalSweepGateway(env.client) },
    input,
  );
  const handle = env.client.workflow.getHandle(sweepWorkflowId(sweep.id));
  const result = (await handle.result()) as SweepResult;
  const history = await handle.fetchHistory();
  const asks = history.events!.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'suggestParams',
  );
  return { result, asks: asks.length, detail: (await repos.sweeps.get(sweep.id))! };
}

describe.skipIf(skip)(
  `gp / cmaes sweeps through the sampler worker${skip ? ` (${skip})` : ''}`,
  () => {
    it.skipIf(noTorch)('runs a gp sweep whose params come from Optuna', async () => {
      const { result, asks, detail } = await runSweep(spec({ gp: { nStartupTrials: 3 } }));
      expect(result.status).toBe('completed');
      expect(result.progress).toMatchObject({ total: 6, completed: 6 });
      expect(asks).toBe(6);
      expect(detail.trials).toHaveLength(6);
      for (const t of detail.trials) {
        expect(t.params.headLr).toBeGreaterThanOrEqual(1e-4);
        expect(['none', 'light']).toContain(t.params.augment);
      }
    });

    it('runs a cmaes sweep', async () => {
      const { result, asks } = await runSweep(spec({ algorithm: 'cmaes', maxTrials: 5 }));
      expect(result.status).toBe('completed');
      expect(result.progress).toMatchObject({ total: 5, completed: 5 });
      expect(asks).toBe(5);
    });
  },
);
