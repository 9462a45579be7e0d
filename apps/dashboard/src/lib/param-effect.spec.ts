import { describe, expect, it } from 'vitest';
import { paramEffectOption, paramEffects, type EffectTrial } from './param-effect';

const trial = (n: number, params: EffectTrial['params'], objective: number | null) => ({
  label: `#${n}`,
  params,
  objective,
});
const space = {
  freezeDepth: { type: 'choice', values: ['feature-extraction', 'partial', 'full'] },
  trainPerClass: { type: 'choice', values: [10, 40] },
};

describe('paramEffects', () => {
  it('one chart per varied trade-off param, x in search-space order, a line per other value', () => {
    const trials = [
      trial(0, { freezeDepth: 'full', trainPerClass: 10, headLr: 0.01 }, 0.6),
      trial(1, { freezeDepth: 'feature-extraction', trainPerClass: 10 }, 0.8),
      trial(2, { freezeDepth: 'partial', trainPerClass: 40 }, 0.9),
      trial(3, { freezeDepth: 'full', trainPerClass: 40 }, 0.95),
      trial(4, { freezeDepth: 'partial', trainPerClass: 10 }, null),
    ];
    const [depth, size] = paramEffects(trials, space, 'maximize');
    expect(depth!.values).toEqual(['feature-extraction', 'partial', 'full']);
    expect(depth!.groups).toEqual([
      { name: 'trainPerClass 10', best: [0.8, null, 0.6] },
      { name: 'trainPerClass 40', best: [null, 0.9, 0.95] },
    ]);
    expect(depth!.points).toHaveLength(4); // the unscored trial is left out
    expect(size!.values).toEqual(['10', '40']);
    expect(size!.groups.map((g) => g.name)).toEqual([
      'freezeDepth feature-extraction',
      'freezeDepth partial',
      'freezeDepth full',
    ]);
  });

  it('nothing for a sweep that does not vary them; the best per value follows the goal', () => {
    expect(paramEffects([trial(0, { headLr: 0.1, freezeDepth: 2 }, 0.5)], {}, 'maximize')).toEqual(
      [],
    );
    const trials = [
      trial(0, { freezeDepth: 4 }, 0.3),
      trial(1, { freezeDepth: 4 }, 0.2),
      trial(2, { freezeDepth: 0 }, 0.4),
    ];
    const [depth] = paramEffects(trials, {}, 'minimize');
    expect(depth!.values).toEqual(['0', '4']);
    expect(depth!.groups).toEqual([{ name: 'best', best: [0.4, 0.2] }]);
    const option = paramEffectOption(depth!, 'val_loss');
    expect(option.xAxis.data).toEqual(['0', '4']);
    expect(option.series.map((s) => s.type)).toEqual(['line', 'scatter']);
    expect(option.legend).toBeUndefined();
  });
});
