import { describe, expect, inject, it } from 'vitest';
import { netnsAvailable } from './harness/netns';
import { runScaleOut } from './scale-out';

const unavailable = netnsAvailable();
if (unavailable) console.log(`scale-out test skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('two GPU hosts in network namespaces', () => {
  it("a host's trials finish on the other host after its link is cut", async () => {
    const r = await runScaleOut({
      temporalBin: inject('temporalBin'),
      shape: { trials: 8, epochs: 14, sleepMs: 300, maxParallel: 4 },
      log: (line) => console.log(line),
    });
    console.log(
      `scale-out (${r.database}): sweep ${r.sweepStatus}, lost ${r.lost}, duplicated ${r.duplicated}, ` +
        `${r.cutTrials.length} trial(s) moved, recovery ${r.recoveryMs} ms`,
    );
    expect(r.problems).toEqual([]);
    expect(r.sweepStatus).toBe('completed');
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.cutTrials.length).toBeGreaterThan(0);
    for (const t of r.cutTrials) {
      expect(t).toMatchObject({ status: 'completed', finishedOn: r.survivorWorker });
      expect(t.attempts).toBeGreaterThanOrEqual(2);
    }
    // The cut came after one of them had checkpointed 3 epochs: that one at least resumed (one
    // that had only just started on the cut host may legitimately start over).
    expect(r.resumed).toBeGreaterThanOrEqual(1);
    // No stall behind locks the cut host held (see postgres-idle-lock.spec.ts): ~2 min before.
    expect(r.recoveryMs).toBeLessThan(60_000);
  }, 300_000);
});
