import { afterAll, describe, expect, inject, it } from 'vitest';
import { formatFaultTable, summarise, type FaultName } from './harness/faults';
import { runFaultSuite, type FaultSuiteResult } from './fault-suite';

/**
 * The reduced fault suite `npm test` runs: each fault once, in a 10-trial sweep, on the real
 * stack (Temporal dev server, control worker and two GPU workers as processes). The full sweep
 * (several repetitions, 40 trials) is `npm run test:reliability`.
 */
const faults: FaultName[] = [
  'kill -9 GPU worker',
  'kill -9 control worker',
  'kill -9 + restart Temporal',
  'trainer hangs (no output)',
  'PostgreSQL down 8 s',
];

let result: FaultSuiteResult;

afterAll(() => {
  if (!result) return;
  console.log('\n' + formatFaultTable(summarise(result.runs)));
  for (const s of result.skipped) console.log(`skipped ${s.fault}: ${s.reason}`);
});

describe('faults injected into a running sweep', () => {
  it('every sweep completes: no trial lost or duplicated, retries resume, no orphans', async () => {
    result = await runFaultSuite({
      temporalBin: inject('temporalBin'),
      faults,
      repetitions: 1,
      shape: { trials: 10, epochs: 10, sleepMs: 250, maxParallel: 4 },
      log: (line) => console.log(line),
    });
    for (const run of result.runs) {
      expect({ fault: run.fault, problems: run.problems }).toEqual({
        fault: run.fault,
        problems: [],
      });
      expect(run.sweepStatus).toBe('completed');
      expect(run.lost).toBe(0);
      expect(run.duplicated).toBe(0);
      expect(run.orphans).toEqual([]);
    }
    const byFault = (f: FaultName) => result.runs.find((r) => r.fault === f)!;
    // The killed worker's trials were retried, and (the fault waits for two epochs) at least
    // one resumed from its checkpoint; a trial killed before its first checkpoint heartbeat
    // reached Temporal legitimately starts over.
    const killed = byFault('kill -9 GPU worker');
    expect(killed.retried).toBeGreaterThan(0);
    expect(killed.resumed).toBeGreaterThan(0);
    // Every hung trainer was timed out, retried and resumed from its second checkpoint.
    const hung = byFault('trainer hangs (no output)');
    expect(hung.retried).toBe(hung.injected);
    expect(hung.resumed).toBe(hung.injected);
    expect(result.runs.length + result.skipped.length).toBe(faults.length);
  }, 400_000);
});
