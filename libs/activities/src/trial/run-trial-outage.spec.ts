import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialOutcome } from '@retune/core';
import { describe, expect, it } from 'vitest';
import { fakeTrialRepos } from '../test-support/fake-repos';
import { createTrialActivities } from './run-trial';
import { createSlotPool } from './slot-pool';
import type { RunTrialInput } from './types';

const synthetic = fileURLToPath(
  new URL('../../../../trainers/synthetic/train.mjs', import.meta.url),
);

const input: RunTrialInput = {
  sweepId: 's1',
  trialId: 's1-t0',
  number: 0,
  params: { headLr: 0.01, epochs: 6, sleepMs: 30 },
  trainer: { name: 'synthetic' },
  dataset: 'demo',
  baseModel: 'demo',
  metric: { name: 'val_acc', goal: 'maximize' },
  seed: 1,
  reportEpochs: 'all',
};

/**
 * Found by tests/reliability (PostgreSQL stopped for 8 s): every running trial failed with
 * "handling trainer output failed", because one failed metric write killed the trainer.
 */
describe('runTrial through a database outage', () => {
  it('keeps the trainer running, retries the writes and completes with every point once', async () => {
    const fake = fakeTrialRepos();
    let markFailures = 2;
    let writeFailures = 3;
    const realMark = fake.repos.trials.markRunning;
    const realWrite = fake.repos.metrics.write;
    fake.repos.trials.markRunning = async (...args) => {
      if (markFailures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return realMark(...args);
    };
    fake.repos.metrics.write = async (...args) => {
      if (writeFailures-- > 0) throw new Error('Connection terminated unexpectedly');
      return realWrite(...args);
    };
    const heartbeats: unknown[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const acts = createTrialActivities({
      repos: fake.repos,
      workerId: 'w',
      workDir: mkdtempSync(join(tmpdir(), 'retune-outage-')),
      slots: createSlotPool({ kind: 'cpu', slots: 1 }),
      resolveTrainer: () => ({ command: [process.execPath, synthetic] }),
      baseEnv: process.env,
      heartbeatIntervalMs: 20,
      // Temporal briefly unreachable too: a lost rung report must not fail the trial.
      reportIntermediate: async () => {
        throw new Error('14 UNAVAILABLE: No connection established');
      },
    });
    const outcome = (await env.run(acts.runTrial, input)) as TrialOutcome;
    expect(outcome).toMatchObject({ status: 'completed', objective: 0.95 });
    expect(fake.running).toHaveLength(1);
    const epochs = fake.points
      .get('s1-t0')!
      .filter((p) => p.name === 'val_acc')
      .map((p) => p.epoch);
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5]);
    // It heartbeated while waiting for the database, before the trainer started.
    expect(heartbeats.length).toBeGreaterThan(0);
  });
});
