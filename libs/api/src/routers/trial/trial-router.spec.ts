import { beforeAll, describe, expect, it } from 'vitest';
import { perClassAccuracy } from '@retune/core';
import { useTestApi } from '../../test-support/context';
import { codeOf } from '../../test-support/trpc-errors';
import { seedFinishedSweep } from '../../test-support/seed-sweep';

const api = useTestApi();
let trialIds: string[];
beforeAll(async () => {
  ({ trialIds } = await seedFinishedSweep(api.repos, { id: 'sw_trials', trials: 3, epochs: 4 }));
});

describe('trial router', () => {
  it('get returns the trial with its sweep objective and artifact', async () => {
    const t = await api.caller().trial.get({ id: trialIds[1]! });
    expect(t).toMatchObject({
      id: trialIds[1],
      number: 1,
      sweepId: 'sw_trials',
      sweepName: 'seeded sw_trials',
      metricName: 'val_acc',
      metricGoal: 'maximize',
      status: 'completed',
      worker: 'w1',
      slot: 1,
      artifact: `/tmp/ckpt/${trialIds[1]}/model.json`,
    });
    expect(t.values.val_acc_class_5).toBe(0.9);
    expect(perClassAccuracy(t.values)).toEqual([
      { label: '5', acc: 0.9 },
      { label: '6', acc: 0.8 },
    ]);
  });

  it('logs returns the last lines oldest first, limited', async () => {
    await api.repos.trialLogs.add(trialIds[0]!, [
      { stream: 'log', line: 'first' },
      { stream: 'stderr', line: 'second' },
      { stream: 'log', line: 'third' },
    ]);
    const all = await api.caller().trial.logs({ id: trialIds[0]! });
    expect(all.map((l) => [l.stream, l.line])).toEqual([
      ['log', 'first'],
      ['stderr', 'second'],
      ['log', 'third'],
    ]);
    const last = await api.caller().trial.logs({ id: trialIds[0]!, limit: 2 });
    expect(last.map((l) => l.line)).toEqual(['second', 'third']);
    expect(await api.caller().trial.logs({ id: trialIds[2]! })).toEqual([]);
  });

  it('unknown trials are NOT_FOUND and anonymous reads UNAUTHORIZED', async () => {
    expect(await codeOf(api.caller().trial.get({ id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.caller().trial.logs({ id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.caller(null).trial.get({ id: trialIds[0]! }))).toBe('UNAUTHORIZED');
    expect(await codeOf(api.caller(null).trial.logs({ id: trialIds[0]! }))).toBe('UNAUTHORIZED');
  });
});
