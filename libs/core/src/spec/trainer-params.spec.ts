import { describe, expect, it } from 'vitest';
import { parseLaunchSpec } from './launch-spec';
import { SpecError } from './sweep-spec';
import { unknownTrainerParamIssues } from './trainer-params';

const spec = (trainer: object, searchSpace: object, fixed: object = {}) => ({
  name: 'p',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  algorithm: 'grid',
  trainer,
  fixed,
  searchSpace,
});

const issuesOf = (input: unknown) => {
  try {
    parseLaunchSpec(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues;
  }
  throw new Error('expected the spec to be rejected');
};

describe('launch validation of trainer params', () => {
  it('names a misspelled param, its field and the closest known name', () => {
    const issues = issuesOf(
      spec({ name: 'tfjs' }, { freezeDept: { type: 'choice', values: [0, 2] } }, { epoch: 3 }),
    );
    expect(issues.map((i) => i.path)).toEqual(['searchSpace.freezeDept', 'fixed.epoch']);
    expect(issues[0]!.message).toContain('the tfjs trainer has no param "freezeDept"');
    expect(issues[0]!.message).toContain('did you mean "freezeDepth"?');
    expect(issues[1]!.message).toContain('did you mean "epochs"?');
  });

  it('maps a guessed name to the param that holds it (strategy → freezeDepth)', () => {
    const [issue] = issuesOf(
      spec({ name: 'tfjs' }, { strategy: { type: 'choice', values: ['partial', 'full'] } }),
    );
    expect(issue!.message).toContain('did you mean "freezeDepth"?');
  });

  it('accepts known params, the synthetic control knobs and any param of a command trainer', () => {
    const searchSpace = { bnMode: { type: 'choice', values: ['frozen', 'train'] } };
    expect(() =>
      parseLaunchSpec(spec({ name: 'tfjs' }, searchSpace, { head: 'gap' })),
    ).not.toThrow();
    expect(() =>
      parseLaunchSpec(spec({ name: 'synthetic' }, searchSpace, { sleepMs: 10 })),
    ).not.toThrow();
    expect(issuesOf(spec({ name: 'tfjs' }, searchSpace, { sleepMs: 10 }))).toHaveLength(1);
    expect(
      unknownTrainerParamIssues({
        trainer: { command: ['python', 'train.py'] },
        fixed: { anything: 1 },
        searchSpace: {},
      }),
    ).toEqual([]);
    // A registered trainer is a command under a name: its params are its own.
    expect(
      unknownTrainerParamIssues({
        trainer: { name: 'my-trainer' },
        fixed: { anything: 1 },
        searchSpace: {},
      }),
    ).toEqual([]);
  });
});
