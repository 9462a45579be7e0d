import { describe, expect, it } from 'vitest';
import { parseLaunchSpec } from './launch-spec';
import { parseTaskWeights, readMultiTaskParams } from './multitask-params';
import { SpecError } from './sweep-spec';

const lr = { headLr: { type: 'choice', values: [0.001] } };
const spec = (fixed: object, searchSpace: object = lr) => ({
  name: 'mt',
  dataset: 'demo:fashion-multitask',
  baseModel: 'demo:mnist-0-4-cnn',
  algorithm: 'grid',
  trainer: { name: 'tfjs' },
  fixed,
  searchSpace,
});

const issuesOf = (input: unknown) => {
  try {
    parseLaunchSpec(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
};

describe('multi-task params', () => {
  it('reads weights as a list, as 1,w,w,… from one number, or auto', () => {
    expect(parseTaskWeights('1,0.5,2', 3).weights).toEqual([1, 0.5, 2]);
    expect(parseTaskWeights(0.3, 3).weights).toEqual([1, 0.3, 0.3]);
    expect(parseTaskWeights('0.3', 2).weights).toEqual([1, 0.3]);
    expect(parseTaskWeights(undefined, 2).weights).toEqual([1, 1]);
    expect(parseTaskWeights('auto', 2).weights).toBe('auto');
  });

  it('gives a trial its settings with defaults, and none without tasks', () => {
    expect(readMultiTaskParams({ epochs: 3 })).toBeUndefined();
    expect(readMultiTaskParams({ tasks: 'item, group' })).toEqual({
      tasks: ['item', 'group'],
      weights: [1, 1],
      shareDepth: undefined,
      sharing: 'hard',
      softPenalty: 0.01,
    });
    expect(() => readMultiTaskParams({ taskWeights: '1,2' })).toThrow(
      /params\.taskWeights: only used with multi-task training; set params\.tasks/,
    );
  });

  it('refuses bad values at launch, naming the field and the fix', () => {
    expect(issuesOf(spec({ tasks: 'item,group', taskWeights: '1,0.5,2' }))).toEqual([
      'fixed.taskWeights: lists 3 weights for 2 task(s): give one weight per task, in the order of tasks',
    ]);
    expect(issuesOf(spec({ tasks: 'item,group', taskWeights: '1,-0.5' }))[0]).toMatch(
      /^fixed\.taskWeights: .*negative weight/,
    );
    expect(issuesOf(spec({ tasks: 'Item,group' }))[0]).toMatch(/^fixed\.tasks: bad task name/);
    expect(issuesOf(spec({ tasks: 'item,item' }))[0]).toMatch(/more than once/);
    expect(issuesOf(spec({ tasks: 'item,group', shareDepth: -1 }))[0]).toMatch(
      /^fixed\.shareDepth: -1 is not a layer count/,
    );
    expect(issuesOf(spec({ tasks: 'item,group', sharing: 'soft' }))[0]).toMatch(
      /^fixed\.sharing: soft sharing needs towers/,
    );
    expect(
      issuesOf(spec({ tasks: 'item,group', sharing: 'soft', softPenalty: -1, shareDepth: 2 })),
    ).toEqual(['fixed.softPenalty: -1 is not a number ≥ 0']);
    expect(issuesOf(spec({ shareDepth: 2 }))[0]).toMatch(/^fixed\.shareDepth: only used with/);
  });

  it('checks searched values like fixed ones', () => {
    const issues = issuesOf(
      spec(
        { tasks: 'item,group' },
        {
          taskWeights: { type: 'uniform', min: -1, max: 1, gridPoints: 3 },
          shareDepth: { type: 'uniform', min: 0, max: 4, gridPoints: 3 },
        },
      ),
    );
    expect(issues.some((i) => i.startsWith('searchSpace.taskWeights: -1'))).toBe(true);
    expect(issues).toContain(
      'searchSpace.shareDepth: is a layer count: search it with type int or choice',
    );
    expect(
      issuesOf(
        spec(
          {},
          {
            tasks: { type: 'choice', values: ['item', 'item,group'] },
            taskWeights: { type: 'choice', values: ['auto', 0.5] },
            shareDepth: { type: 'int', min: 0, max: 4 },
            sharing: { type: 'choice', values: ['hard', 'soft'] },
          },
        ),
      ),
    ).toEqual([]);
  });

  it('leaves command trainers alone', () => {
    expect(
      issuesOf({ ...spec({ tasks: 'A B' }), trainer: { command: ['python', 'train.py'] } }),
    ).toEqual([]);
  });
});
