import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { TRIAL_DEFERRED_ERROR, type TrialOutcome } from '@retune/core';
import { describe, expect, it } from 'vitest';
import { fakeTrialRepos } from '../test-support/fake-repos';
import { predecessorPollMs, TrialEndings } from './predecessor';
import { createTrialActivities } from './run-trial';
import { createSlotPool } from './slot-pool';
import type { RunTrialInput } from './types';

/** A trainer that logs "trialId start|end epochMs" to TIMES and trains for params.ms. */
function timedTrainer(): { command: string[]; times: string } {
  const dir = mkdtempSync(join(tmpdir(), 'retune-pipelined-'));
  const file = join(dir, 'trainer.mjs');
  const times = join(dir, 'times.log');
  writeFileSync(times, '');
  writeFileSync(
    file,
    `import { appendFileSync, readFileSync } from 'node:fs';
    const input = JSON.parse(readFileSync(process.env.RETUNE_TRAINER_INPUT, 'utf8'));
    appendFileSync(${JSON.stringify(times)}, input.trialId + ' start ' + Date.now() + '\\n');
    setTimeout(() => {
      appendFileSync(${JSON.stringify(times)}, input.trialId + ' end ' + Date.now() + '\\n');
      console.log(JSON.stringify({ type: 'result', values: { val_acc: 1 } }));
    }, input.params.ms);`,
  );
  return { command: [process.execPath, file], times };
}

function readTimes(file: string): Record<string, { start?: number; end?: number }> {
  const out: Record<string, { start?: number; end?: number }> = {};
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [id, what, at] = line.split(' ') as [string, 'start' | 'end', string];
    (out[id] ??= {})[what] = Number(at);
  }
  return out;
}

/** A worker's trial activities over `fake`'s repositories (`activityCapacity`: its places). */
function activitiesOn(
  fake: ReturnType<typeof fakeTrialRepos>,
  slots: number,
  command: string[],
  opts: { endings?: TrialEndings; activityCapacity?: number } = {},
) {
  return createTrialActivities({
    repos: fake.repos,
    workerId: 'test-worker',
    workDir: mkdtempSync(join(tmpdir(), 'retune-work-')),
    slots: createSlotPool({ kind: 'cpu', slots }),
    resolveTrainer: () => ({ command }),
    baseEnv: process.env,
    heartbeatIntervalMs: 50,
    killGraceMs: 500,
    ...(opts.endings ? { trialEndings: opts.endings } : {}),
    ...(opts.activityCapacity ? { activityCapacity: opts.activityCapacity } : {}),
  });
}

function setup(slots: number, command: string[], endings?: TrialEndings) {
  const fake = fakeTrialRepos();
  return { acts: activitiesOn(fake, slots, command, endings ? { endings } : {}), ...fake };
}

const trial = (n: number, extra: Partial<RunTrialInput> = {}): RunTrialInput => ({
  sweepId: 's1',
  trialId: `s1-t${n}`,
  number: n,
  params: { ms: 300 },
  trainer: { name: 'timed' },
  dataset: 'demo',
  baseModel: 'demo',
  metric: { name: 'val_acc', goal: 'maximize' },
  seed: 1,
  trialTimeoutSeconds: 60,
  ...extra,
});

function runIn(
  env: MockActivityEnvironment,
  acts: ReturnType<typeof createTrialActivities>,
  input: RunTrialInput,
) {
  return env.run(acts.runTrial, input) as Promise<TrialOutcome>;
}

describe('runTrial with pipelined slots', () => {
  it('asks the database often only while a short wait is likely and the predecessor is elsewhere', () => {
    expect(predecessorPollMs(0, false)).toBe(200);
    expect(predecessorPollMs(60_000, false)).toBe(2000);
    expect(predecessorPollMs(0, true)).toBe(5000);
  });

  it('starts a successor only once its predecessor in this process has ended', async () => {
    const { command, times } = timedTrainer();
    // Two free slots: only `after` keeps the successor from starting at once.
    const { acts, running, attemptsEnded } = setup(2, command);
    const first = runIn(new MockActivityEnvironment(), acts, trial(0));
    const second = runIn(new MockActivityEnvironment(), acts, trial(1, { after: 's1-t0' }));
    await expect(Promise.all([first, second])).resolves.toMatchObject([
      { status: 'completed' },
      { status: 'completed' },
    ]);
    const t = readTimes(times);
    expect(t['s1-t1']!.start).toBeGreaterThanOrEqual(t['s1-t0']!.end!);
    expect(running.map((r) => r.trialId)).toEqual(['s1-t0', 's1-t1']);
    // The end markers a successor on another worker would poll for.
    expect([...attemptsEnded.keys()]).toEqual(['s1-t0', 's1-t1']);
  });

  it('waits for a predecessor running elsewhere until the database says it has ended', async () => {
    const { command, times } = timedTrainer();
    const { acts, attemptsEnded, running } = setup(1, command);
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const waiting = runIn(env, acts, trial(5, { after: 'other-t4' }));
    await new Promise((r) => setTimeout(r, 500));
    expect(running).toEqual([]); // not started…
    expect(beats).toBeGreaterThan(0); // …but alive, so cancellation can reach it
    const endedAt = Date.now();
    attemptsEnded.set('other-t4', 1);
    await expect(waiting).resolves.toMatchObject({ status: 'completed' });
    expect(readTimes(times)['s1-t5']!.start).toBeGreaterThanOrEqual(endedAt);
  });

  it('gives its place back when every place on the worker waits for a trial not started', async () => {
    const { command } = timedTrainer();
    const fake = setup(1, command);
    fake.notStarted.add('s1-t0');
    // One place, taken by this trial: the worker could never take its predecessor.
    const stuck = activitiesOn(fake, 1, command, { activityCapacity: 1 });
    const err = await runIn(
      new MockActivityEnvironment(),
      stuck,
      trial(1, { after: 's1-t0' }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(TRIAL_DEFERRED_ERROR);
    expect(fake.running).toEqual([]);
    // With a place left for its predecessor (2 × slots), it waits instead.
    const waiting = runIn(new MockActivityEnvironment(), fake.acts, trial(2, { after: 's1-t0' }));
    await new Promise((r) => setTimeout(r, 600));
    fake.notStarted.delete('s1-t0');
    fake.attemptsEnded.set('s1-t0', 1);
    await expect(waiting).resolves.toMatchObject({ status: 'completed' });
  });

  it('gives its place back when the places are full and a slot is free (another sweep trains)', async () => {
    const { command } = timedTrainer();
    const fake = fakeTrialRepos();
    fake.notStarted.add('other-t0');
    // Two slots, two places: one trial of another sweep trains, this one waits for a trial that
    // has not started, so the free slot could never be used until it leaves.
    const acts = activitiesOn(fake, 2, command, { activityCapacity: 2 });
    const training = runIn(new MockActivityEnvironment(), acts, trial(7, { params: { ms: 3000 } }));
    await new Promise((r) => setTimeout(r, 300));
    const err = await runIn(
      new MockActivityEnvironment(),
      acts,
      trial(8, { after: 'other-t0' }),
    ).catch((e: unknown) => e);
    expect((err as ApplicationFailure).type).toBe(TRIAL_DEFERRED_ERROR);
    await expect(training).resolves.toMatchObject({ status: 'completed' });
  });

  it('waits behind a trial re-run by retry-failed although an earlier attempt ended here', async () => {
    const { command } = timedTrainer();
    const { acts, attemptsEnded, notStarted, running } = setup(2, command);
    await runIn(new MockActivityEnvironment(), acts, trial(0, { params: { ms: 10 } }));
    // reopenTrial: pending again, its earlier end marker no longer counts.
    attemptsEnded.delete('s1-t0');
    notStarted.add('s1-t0');
    const waiting = runIn(new MockActivityEnvironment(), acts, trial(1, { after: 's1-t0' }));
    await new Promise((r) => setTimeout(r, 500));
    expect(running.map((r) => r.trialId)).toEqual(['s1-t0']);
    notStarted.delete('s1-t0');
    attemptsEnded.set('s1-t0', 1);
    await expect(waiting).resolves.toMatchObject({ status: 'completed' });
  });

  it('is cancelled while it waits, without starting, and lets its own successor in', async () => {
    const { command } = timedTrainer();
    const endings = new TrialEndings();
    const { acts, running } = setup(1, command, endings);
    const env = new MockActivityEnvironment();
    let announced = false;
    endings.onEnd('s1-t1', () => (announced = true));
    const waiting = runIn(env, acts, trial(1, { after: 'never-ending' }));
    await new Promise((r) => setTimeout(r, 200));
    env.cancel();
    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);
    expect(running).toEqual([]);
    expect(announced).toBe(true);
  });

  it('lets the successor in when its predecessor is cancelled (pruned)', async () => {
    const { command, times } = timedTrainer();
    const { acts } = setup(2, command);
    const env = new MockActivityEnvironment();
    const first = runIn(env, acts, trial(0, { params: { ms: 60_000 } }));
    const second = runIn(new MockActivityEnvironment(), acts, trial(1, { after: 's1-t0' }));
    // Cancel it while it trains (a fixed delay raced the trainer's start on a loaded machine).
    while (!readTimes(times)['s1-t0']?.start) await new Promise((r) => setTimeout(r, 20));
    env.cancel();
    await expect(first).rejects.toBeInstanceOf(CancelledFailure);
    await expect(second).resolves.toMatchObject({ status: 'completed' });
    expect(readTimes(times)['s1-t0']!.end).toBeUndefined();
  });

  it('counts the trial timeout from the real start, not from the wait, and retries past it', async () => {
    const { command } = timedTrainer();
    const { acts, attemptsEnded } = setup(1, command);
    const waiting = runIn(
      new MockActivityEnvironment(),
      acts,
      trial(1, { after: 's1-t0', trialTimeoutSeconds: 1, params: { ms: 200 } }),
    );
    // Waits longer than its timeout, then trains within it.
    await new Promise((r) => setTimeout(r, 1200));
    attemptsEnded.set('s1-t0', 1);
    await expect(waiting).resolves.toMatchObject({ status: 'completed' });
    const slow = runIn(
      new MockActivityEnvironment(),
      acts,
      trial(2, { trialTimeoutSeconds: 0.3, params: { ms: 60_000 } }),
    );
    const err = await slow.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('TrialTimeout');
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect(attemptsEnded.has('s1-t2')).toBe(false); // retried: its successor keeps waiting
  });
});
