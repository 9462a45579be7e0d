import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { TrialEndings } from './predecessor';
import { createSlotPool } from './slot-pool';
import { TrialAttempt } from './trial-attempt';
import type { RunTrialInput, TrialHeartbeat } from './types';

const input = { trialId: 't0' } as RunTrialInput;

/** An attempt of trial t0 in a mock activity, with what it announces and heartbeats. */
function attemptIn(env: MockActivityEnvironment) {
  const endings = new TrialEndings();
  let endsAnnounced = 0;
  endings.onEnd('t0', () => endsAnnounced++);
  const beats: (TrialHeartbeat | undefined)[] = [];
  env.on('heartbeat', (d: TrialHeartbeat | undefined) => beats.push(d));
  const slots = createSlotPool({ kind: 'cpu', slots: 1 });
  const start = () =>
    new TrialAttempt(Context.current(), input, {
      endings,
      trialTimingFile: undefined,
      heartbeatIntervalMs: 10,
    });
  return { endings, slots, beats, start, endsAnnounced: () => endsAnnounced };
}

type Probe = ReturnType<typeof attemptIn>;

/** Runs `body` on a fresh attempt of t0 inside its own mock activity (`env`). */
async function inAttempt(
  body: (attempt: TrialAttempt, t: Probe, env: MockActivityEnvironment) => Promise<void>,
  env = new MockActivityEnvironment(),
): Promise<void> {
  const t = attemptIn(env);
  await env.run(() => body(t.start(), t, env));
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TrialAttempt', () => {
  it('lets the successor in only once the attempt has ended for good', async () => {
    await inAttempt(async (attempt, t) => {
      attempt.enterSlot(t.slots.acquire());
      expect(t.endings.runningHere('t0')).toBe(true);
      // Passed its time limit: retried, so its successor keeps waiting.
      attempt.leaveSlot(false);
      expect(t.slots.inUse()).toBe(0);
      expect(t.endings.runningHere('t0')).toBe(false);
      await attempt.close();
      expect(t.endsAnnounced()).toBe(0);
    });
    await inAttempt(async (attempt, t) => {
      attempt.enterSlot(t.slots.acquire());
      attempt.leaveSlot(true);
      expect(t.endsAnnounced()).toBe(1);
      await attempt.close();
    });
  });

  it('a cancelled attempt has ended; one that threw otherwise has not', async () => {
    await inAttempt(async (attempt, t) => {
      attempt.endIfCancelled();
      await attempt.close();
      expect(t.endsAnnounced()).toBe(0);
    });
    await inAttempt(async (attempt, t, env) => {
      env.cancel();
      attempt.endIfCancelled();
      await attempt.close();
      expect(t.endsAnnounced()).toBe(1);
    });
  });

  it('heartbeats the previous attempt’s state until it has its own, and stops on close', async () => {
    const previous: TrialHeartbeat = { epoch: 2, lastCheckpoint: '/ckpt/2' };
    const env = new MockActivityEnvironment({ heartbeatDetails: previous });
    await inAttempt(async (attempt, t) => {
      expect(attempt.previous).toEqual(previous);
      await tick(50);
      expect(t.beats.at(-1)).toEqual(previous);
      const own: TrialHeartbeat = { epoch: -1, lastCheckpoint: null };
      attempt.heartbeatWith(own);
      await tick(50);
      expect(t.beats.at(-1)).toBe(own);
      await attempt.close();
      const count = t.beats.length;
      await tick(50);
      expect(t.beats.length).toBe(count);
    }, env);
  });
});
