import { describe, expect, it } from 'vitest';
import { runAction, type ActionState } from './use-action';

describe('runAction', () => {
  it('is busy while the action runs and clears busy and error after success', async () => {
    const states: ActionState[] = [];
    const out = await runAction(
      async () => 42,
      (s) => states.push(s),
    );
    expect(out).toBe(42);
    expect(states).toEqual([
      { busy: true, error: null },
      { busy: false, error: null },
    ]);
  });

  it('keeps the error message, hands the raw error over and returns undefined', async () => {
    const states: ActionState[] = [];
    const seen: unknown[] = [];
    const boom = new Error('sweep s1 is already completed');
    const out = await runAction(
      async () => {
        throw boom;
      },
      (s) => states.push(s),
      { onError: (e) => seen.push(e) },
    );
    expect(out).toBeUndefined();
    expect(states.at(-1)).toEqual({ busy: false, error: 'sweep s1 is already completed' });
    expect(seen).toEqual([boom]);
  });

  it('stays busy after success when the page navigates away', async () => {
    const states: ActionState[] = [];
    await runAction(
      async () => undefined,
      (s) => states.push(s),
      { keepBusyOnSuccess: true },
    );
    expect(states).toEqual([{ busy: true, error: null }]);
  });
});
