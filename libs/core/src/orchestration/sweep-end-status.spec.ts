import { describe, expect, it } from 'vitest';
import { sweepEndStatus } from './sweep-end-status';

const tally = (t: Partial<Record<'completed' | 'pruned' | 'failed' | 'cancelled', number>>) => ({
  completed: 0,
  pruned: 0,
  failed: 0,
  cancelled: 0,
  ...t,
});

describe('sweepEndStatus', () => {
  it('a sweep whose every trial failed fails with their common reason', () => {
    expect(
      sweepEndStatus(
        tally({ failed: 3 }),
        ['no such folder', 'no such folder', 'no such folder'],
        false,
      ),
    ).toEqual({
      status: 'failed',
      error: 'all 3 trials failed: no such folder',
    });
    expect(sweepEndStatus(tally({ failed: 3 }), ['oom', 'bad shape', 'bad shape'], false)).toEqual({
      status: 'failed',
      error: 'all 3 trials failed; 2 of them with: bad shape',
    });
    expect(sweepEndStatus(tally({ failed: 1 }), [], false)).toEqual({
      status: 'failed',
      error: "the only trial failed (see the trials' logs)",
    });
  });

  it('one usable trial, no trials at all, or a cancel is not a failed sweep', () => {
    expect(sweepEndStatus(tally({ failed: 5, completed: 1 }), ['x'], false)).toEqual({
      status: 'completed',
    });
    expect(sweepEndStatus(tally({ failed: 2, pruned: 1 }), ['x'], false).status).toBe('completed');
    expect(sweepEndStatus(tally({}), [], false)).toEqual({ status: 'completed' });
    expect(sweepEndStatus(tally({ failed: 2 }), ['x', 'x'], true)).toEqual({ status: 'cancelled' });
  });
});
