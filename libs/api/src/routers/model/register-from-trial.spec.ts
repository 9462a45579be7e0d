import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../test-support/context';
import { seedFinishedSweep } from '../../test-support/seed-sweep';

const api = useTestApi();
let trialIds: string[];
beforeAll(async () => {
  ({ trialIds } = await seedFinishedSweep(api.repos, { id: 'reg', trials: 5, epochs: 3 }));
});

describe('model.registerTrial', () => {
  it('registers a completed trial with its lineage, once, and can make it the champion', async () => {
    const caller = api.caller({ id: 'u1', email: 'ada@example.com', role: 'admin' });
    const first = await caller.model.registerTrial({ trialId: trialIds[0]! });
    expect(first).toMatchObject({
      task: 'demo:mnist-5-9',
      version: 1,
      isChampion: false,
      sweepId: 'reg',
      trialId: trialIds[0],
      baseModel: 'demo:mnist-0-4-cnn',
      artifact: `/tmp/ckpt/${trialIds[0]}/model.json`,
      metricName: 'val_acc',
    });
    const again = await caller.model.registerTrial({ trialId: trialIds[0]!, champion: true });
    expect(again).toMatchObject({ id: first.id, version: 1, isChampion: true });
    const history = await caller.model.history({ task: 'demo:mnist-5-9' });
    expect(history[0]!.reason).toBe('promoted from trial 0 of seeded reg by ada@example.com');

    const other = await caller.model.registerTrial({
      trialId: trialIds[1]!,
      task: 'digits',
      champion: true,
    });
    expect(other).toMatchObject({ task: 'digits', version: 1, isChampion: true });
  });

  it('refuses a trial that did not complete, an unknown trial, and anonymous callers', async () => {
    const caller = api.caller();
    // Seeded trial 4 was pruned.
    await expect(caller.model.registerTrial({ trialId: trialIds[4]! })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/trial 4 is pruned: only a completed trial/),
    });
    await expect(caller.model.registerTrial({ trialId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      api.caller(null).model.registerTrial({ trialId: trialIds[0]! }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
