import type { MetricGoal } from '@retune/core';

/**
 * "Accuracy against freezeDepth / data size": the seed's transfer-learning trade-offs, drawn when
 * a sweep varies those params. Plain data (testable without a canvas), like chart-options.ts.
 */
export const TRADE_OFF_PARAMS = [
  { name: 'freezeDepth', title: 'freeze depth' },
  { name: 'trainPerClass', title: 'images per class' },
] as const;

export interface EffectTrial {
  label: string;
  params: Record<string, string | number | boolean>;
  objective: number | null;
}

export interface ParamEffect {
  param: string;
  title: string;
  /** The param's values on the x axis, in the search space's order (numbers ascending). */
  values: string[];
  /** One line per value of the other trade-off param when the sweep varies it too, else one. */
  groups: { name: string; best: (number | null)[] }[];
  points: { label: string; x: string; y: number }[];
}

type Space = Record<string, { type: string; values?: unknown[] }>;

/** Distinct values of `param` among the trials, ordered as the search space lists them. */
function orderedValues(param: string, trials: EffectTrial[], space: Space): string[] {
  const seen = [...new Set(trials.flatMap((t) => (param in t.params ? [t.params[param]!] : [])))];
  const listed = (space[param]?.values ?? []).map(String);
  const rank = (v: string | number | boolean) => {
    const i = listed.indexOf(String(v));
    return i >= 0 ? i : listed.length;
  };
  return seen
    .sort((a, b) =>
      rank(a) !== rank(b)
        ? rank(a) - rank(b)
        : typeof a === 'number' && typeof b === 'number'
          ? a - b
          : String(a).localeCompare(String(b)),
    )
    .map(String);
}

/** The trade-off charts a sweep's scored trials support: one per trade-off param it varies. */
export function paramEffects(trials: EffectTrial[], space: Space, goal: MetricGoal): ParamEffect[] {
  const scored = trials.filter((t) => t.objective !== null && Number.isFinite(t.objective));
  const varied = TRADE_OFF_PARAMS.filter((p) => orderedValues(p.name, scored, space).length > 1);
  const pick = (a: number | null, b: number) =>
    a === null ? b : goal === 'maximize' ? Math.max(a, b) : Math.min(a, b);
  return varied.map(({ name, title }) => {
    const values = orderedValues(name, scored, space);
    const other = varied.find((p) => p.name !== name)?.name;
    const groupNames = other ? orderedValues(other, scored, space) : [''];
    const groups = groupNames.map((g) => {
      const best: (number | null)[] = values.map(() => null);
      for (const t of scored) {
        if (other && String(t.params[other]) !== g) continue;
        const i = values.indexOf(String(t.params[name]));
        if (i >= 0) best[i] = pick(best[i]!, t.objective!);
      }
      return { name: other ? `${other} ${g}` : 'best', best };
    });
    const points = scored
      .filter((t) => name in t.params)
      .map((t) => ({ label: t.label, x: String(t.params[name]), y: t.objective! }));
    return { param: name, title, values, groups, points };
  });
}

/** An ECharts option: the best value per x (a line per group) over every trial as a dot. */
export function paramEffectOption(effect: ParamEffect, metricName: string) {
  return {
    animation: false,
    grid: { left: 56, right: 24, top: effect.groups.length > 1 ? 40 : 16, bottom: 44 },
    legend: effect.groups.length > 1 ? { top: 0 } : undefined,
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: effect.values,
      name: effect.param,
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'value', name: metricName, scale: true },
    series: [
      ...effect.groups.map((g) => ({
        type: 'line',
        name: g.name,
        data: g.best,
        connectNulls: true,
        symbolSize: 8,
      })),
      {
        type: 'scatter',
        name: 'trials',
        data: effect.points.map((p) => ({ name: p.label, value: [p.x, p.y] })),
        itemStyle: { color: '#999', opacity: 0.5 },
        symbolSize: 6,
      },
    ],
  };
}
