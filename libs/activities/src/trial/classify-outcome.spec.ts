import { describe, expect, it } from 'vitest';
import { classifyOutcome, type OutcomeFacts } from './classify-outcome';

const base: OutcomeFacts = {
  run: { kind: 'exited', exitCode: 0, stderrTail: '' },
  result: { type: 'result', values: { val_acc: 0.9, loss: 0.2 } },
  bestOnCurve: 0.8,
  metric: { name: 'val_acc', goal: 'maximize' },
  checkpointDir: '/work/trials/t1/checkpoints',
};
const facts = (over: Partial<OutcomeFacts>): OutcomeFacts => ({ ...base, ...over });
const errorOf = (f: OutcomeFacts) => {
  const o = classifyOutcome(f);
  if (o === 'cancelled' || o.status !== 'failed') throw new Error(`not failed: ${String(o)}`);
  return o.error;
};

describe('classifyOutcome', () => {
  it('completes with the result value of the sweep metric, keeping the artifact', () => {
    expect(
      classifyOutcome(
        facts({ result: { type: 'result', values: { val_acc: 0.9 }, artifact: 'a' } }),
      ),
    ).toEqual({ status: 'completed', objective: 0.9, values: { val_acc: 0.9 }, artifact: 'a' });
  });

  it('falls back to the best value on the curve when the result leaves the metric out', () => {
    const o = classifyOutcome(facts({ result: { type: 'result', values: { loss: 0.1 } } }));
    expect(o).toMatchObject({ status: 'completed', objective: 0.8 });
  });

  it('is cancelled when the run was aborted', () => {
    expect(classifyOutcome(facts({ run: { kind: 'aborted', stderrTail: '' } }))).toBe('cancelled');
  });

  it('fails with the error of a spawn or protocol failure', () => {
    expect(errorOf(facts({ run: { kind: 'spawn-error', error: 'ENOENT x' } }))).toBe('ENOENT x');
    expect(
      errorOf(facts({ run: { kind: 'protocol-error', error: 'bad line 3', stderrTail: '' } })),
    ).toBe('bad line 3');
  });

  it('fails with the last stderr lines on a non-zero exit', () => {
    const stderrTail = Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n');
    const error = errorOf(facts({ run: { kind: 'exited', exitCode: 3, stderrTail } }));
    expect(error).toMatch(/^trainer exited with code 3: line 4\n/);
    expect(error).not.toContain('line 3\n');
    expect(errorOf(facts({ run: { kind: 'exited', exitCode: 1, stderrTail: '' } }))).toBe(
      'trainer exited with code 1 (no stderr output)',
    );
  });

  it('leads with the full disk and its fix', () => {
    const error = errorOf(
      facts({
        run: {
          kind: 'exited',
          exitCode: 1,
          stderrTail: 'OSError: [Errno 28] No space left on device',
        },
      }),
    );
    expect(error).toMatch(
      /^no space left on device: the disk holding \/work\/trials\/t1\/checkpoints/,
    );
    expect(error).toContain('RETUNE_WORK_DIR');
  });

  it('fails when the trainer exited 0 without a result line', () => {
    expect(errorOf(facts({ result: null }))).toContain('without printing a {"type":"result"} line');
  });

  it('fails naming what was reported when the sweep metric never appeared', () => {
    const error = errorOf(
      facts({ result: { type: 'result', values: { acc: 1 } }, bestOnCurve: null }),
    );
    expect(error).toContain('never reported the sweep metric "val_acc"; it reported: acc');
  });

  it('fails naming each objective missing from the result', () => {
    const error = errorOf(
      facts({
        objectives: [
          { name: 'latency', goal: 'minimize' },
          { name: 'size', goal: 'minimize' },
        ],
      }),
    );
    expect(error).toContain('the objectives "latency", "size"');
  });

  it('fails naming a constrained value the result lacks; a reported one completes', () => {
    const error = errorOf(facts({ constraints: [{ name: 'trainable_params', max: 1e6 }] }));
    expect(error).toContain('the constrained value "trainable_params"');
    expect(error).toContain('it reported: val_acc, loss');
    expect(classifyOutcome(facts({ constraints: [{ name: 'loss', max: 0.1 }] }))).toMatchObject({
      status: 'completed',
    });
  });
});
