import { describe, expect, it } from 'vitest';
import {
  curveOpacity,
  curvesOption,
  parallelAxes,
  parallelOption,
  paretoFront,
  paretoOption,
  type ParallelTrial,
} from './chart-options';

describe('chart options', () => {
  it('curves: one line series per trial, pruned dimmed and dashed, the highlighted one on top', () => {
    const o = curvesOption(
      [
        { trialId: 'a', label: '#0', status: 'completed', epochs: [0, 1], values: [0.5, 0.7] },
        { trialId: 'b', label: '#1', status: 'pruned', epochs: [0], values: [0.4] },
      ],
      'val_acc',
      { highlight: 'a' },
    );
    expect(o.series.map((s) => s.data)).toEqual([
      [
        [0, 0.5],
        [1, 0.7],
      ],
      [[0, 0.4]],
    ]);
    expect(o.series[1]!.lineStyle).toEqual({ width: 1.5, opacity: 0.25, type: 'dashed' });
    expect(o.series[0]!.lineStyle.width).toBe(3);
    expect(o.series[0]!.emphasis.focus).toBe('series');
    expect(curveOpacity('completed')).toBeGreaterThan(curveOpacity('failed'));
  });

  const trials: ParallelTrial[] = [
    { label: '#0', status: 'completed', params: { lr: 0.01, aug: 'light' }, objective: 0.9 },
    { label: '#1', status: 'pruned', params: { lr: 0.1 }, objective: 0.5 },
    { label: '#2', status: 'failed', params: { lr: 0.1, aug: 'none' }, objective: null },
  ];

  it('parallel coordinates: log axis for loguniform, categories for choices, objective last', () => {
    const axes = parallelAxes(
      { lr: { type: 'loguniform' }, aug: { type: 'choice', values: ['none', 'light'] } },
      trials,
    );
    expect(axes).toEqual([
      { name: 'lr', kind: 'log' },
      { name: 'aug', kind: 'category', categories: ['none', 'light', '—'] },
    ]);
    const o = parallelOption(axes, trials, 'val_acc', 'maximize');
    expect(o.parallelAxis.map((a) => a.name)).toEqual(['lr', 'aug', 'val_acc']);
    // Only scored trials; a missing conditional choice is the '—' category.
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([
      [0.01, 'light', 0.9],
      [0.1, '—', 0.5],
    ]);
    expect(o.series[0]!.data[1]!.lineStyle.opacity).toBeLessThan(0.5);
    expect([o.visualMap.min, o.visualMap.max]).toEqual([0.5, 0.9]);
  });

  it('Pareto front: non-dominated points for the two goals', () => {
    const pts = [
      { label: 'a', x: 0.9, y: 0.5 },
      { label: 'b', x: 0.8, y: 0.2 },
      { label: 'c', x: 0.7, y: 0.3 },
      { label: 'd', x: 0.95, y: 0.9 },
    ];
    // maximize x, minimize y: b (lowest y) and d (highest x) and a (better x than b, better y than d).
    expect(paretoFront(pts, ['maximize', 'minimize'])).toEqual([true, true, false, true]);
    expect(paretoFront(pts, ['maximize', 'maximize'])).toEqual([false, false, false, true]);
  });

  it('Pareto chart: front trials as their own series, a line only for two objectives', () => {
    const pts = [
      { label: '#0', x: 0.9, y: 2, onFront: true },
      { label: '#1', x: 0.5, y: 1, onFront: true },
      { label: '#2', x: 0.4, y: 3, onFront: false },
    ];
    const o = paretoOption(pts, ['val_acc', 'params'], ['maximize', 'minimize'], {
      connect: true,
    });
    expect(o.series[0]!.data.map((d) => d.name)).toEqual(['#2']);
    expect(o.series[1]!.data.map((d) => d.name)).toEqual(['#1', '#0']); // in x order
    expect(o.series[1]!.type).toBe('line');
    expect(
      paretoOption(pts, ['a', 'b'], ['maximize', 'minimize'], { connect: false }).series[1]!.type,
    ).toBe('scatter');
  });

  it('pareto: infeasible trials are drawn apart, never with the front', () => {
    const pts = [
      { label: '#0', x: 0.9, y: 100, onFront: true },
      { label: '#1', x: 0.99, y: 50, onFront: false, infeasible: true },
    ];
    const o = paretoOption(pts, ['val_acc', 'params'], ['maximize', 'minimize'], {
      connect: true,
    });
    expect(o.series.map((s) => s.name)).toEqual(['trials', 'Pareto front', 'infeasible']);
    expect(o.series[0]!.data).toEqual([]);
    expect(o.series[2]!.data.map((d) => d.name)).toEqual(['#1']);
  });
});
