import { nonDominatedRanks, type MetricGoal, type TrialStatus } from '@retune/core';

/**
 * ECharts options for the dashboard's charts, as plain data so they are testable without a
 * canvas. The chart component only hands them to ECharts.
 */

export interface CurveInput {
  trialId: string;
  /** Shown in legends and tooltips, e.g. "#12" or "sweep-a #12". */
  label: string;
  status: TrialStatus;
  epochs: number[];
  values: number[];
}

const AXIS = { color: '#444', fontSize: 12 };
/** Axis numbers at 3 significant digits (a log axis otherwise prints 0.00009999999999999999). */
const shortNumber = (v: number | string) =>
  typeof v === 'number' ? String(Number(v.toPrecision(3))) : v;

/** Opacity of a trial's line: pruned and failed trials stay visible but recede. */
export const curveOpacity = (status: TrialStatus): number =>
  status === 'pruned' || status === 'failed' || status === 'cancelled' ? 0.25 : 0.85;

/**
 * Learning curves of many trials. Hovering a line brings it forward and fades the rest
 * (emphasis.focus = series); no symbols and no animation keep 100 × 100 points smooth.
 */
export function curvesOption(
  curves: CurveInput[],
  metricName: string,
  opts: { legend?: boolean; highlight?: string | null } = {},
) {
  return {
    animation: false,
    grid: { left: 56, right: 24, top: opts.legend ? 40 : 16, bottom: 40 },
    legend: opts.legend ? { type: 'scroll', top: 0 } : undefined,
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; value: [number, number] }) =>
        `${p.seriesName}<br/>epoch ${p.value[0]}: ${metricName} ${Number(p.value[1]).toPrecision(4)}`,
    },
    xAxis: {
      type: 'value',
      name: 'epoch',
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      axisLabel: AXIS,
    },
    yAxis: {
      type: 'value',
      name: metricName,
      scale: true,
      axisLabel: AXIS,
    },
    series: curves.map((c) => ({
      type: 'line',
      name: c.label,
      id: c.trialId,
      data: c.epochs.map((e, i) => [e, c.values[i]]),
      showSymbol: false,
      symbolSize: 4,
      triggerLineEvent: true,
      lineStyle: {
        width: c.trialId === opts.highlight ? 3 : 1.5,
        opacity: c.trialId === opts.highlight ? 1 : curveOpacity(c.status),
        type: c.status === 'pruned' ? 'dashed' : 'solid',
      },
      emphasis: { focus: 'series', lineStyle: { width: 3, opacity: 1 } },
      blur: { lineStyle: { opacity: 0.06 } },
      z: c.trialId === opts.highlight ? 10 : 2,
    })),
  };
}

export interface ParallelTrial {
  label: string;
  status: TrialStatus;
  params: Record<string, string | number | boolean>;
  objective: number | null;
}

export interface ParallelAxisSpec {
  name: string;
  kind: 'category' | 'value' | 'log';
  /** Category axes: every value, in the order the search space lists them. */
  categories?: string[];
}

/** Axis kinds from the search space: choices are categories, loguniform a log axis. */
export function parallelAxes(
  searchSpace: Record<string, { type: string; values?: unknown[]; log?: boolean }>,
  trials: ParallelTrial[],
): ParallelAxisSpec[] {
  return Object.entries(searchSpace).map(([name, p]) => {
    if (p.type === 'choice') {
      const seen = new Set((p.values ?? []).map(String));
      for (const t of trials) if (t.params[name] !== undefined) seen.add(String(t.params[name]));
      return { name, kind: 'category', categories: [...seen, '—'] };
    }
    return { name, kind: p.type === 'loguniform' || p.log ? 'log' : 'value' };
  });
}

/** Parameters → objective as parallel coordinates, coloured by the objective. */
export function parallelOption(
  axes: ParallelAxisSpec[],
  trials: ParallelTrial[],
  metricName: string,
  goal: MetricGoal,
) {
  const scored = trials.filter((t) => t.objective !== null && Number.isFinite(t.objective));
  const objectives = scored.map((t) => t.objective!);
  const lo = Math.min(...objectives);
  const hi = Math.max(...objectives);
  return {
    animation: false,
    // Room on the right for the objective axis' labels and, beyond them, the colour bar whose
    // draggable handles print their values to its left.
    parallel: { left: 60, right: 150, top: 40, bottom: 30 },
    parallelAxis: [
      ...axes.map((a, dim) => ({
        dim,
        name: a.name,
        type: a.kind === 'category' ? 'category' : a.kind,
        data: a.categories,
        scale: a.kind === 'value',
        nameTextStyle: AXIS,
        axisLabel: a.kind === 'category' ? AXIS : { ...AXIS, formatter: shortNumber },
      })),
      {
        dim: axes.length,
        name: metricName,
        type: 'value',
        scale: true,
        nameTextStyle: AXIS,
        axisLabel: { ...AXIS, formatter: shortNumber },
      },
    ],
    visualMap: {
      type: 'continuous',
      dimension: axes.length,
      min: Number.isFinite(lo) ? lo : 0,
      max: Number.isFinite(hi) && hi > lo ? hi : lo + 1,
      // Better is darker/warmer whatever the goal.
      inRange: { color: goal === 'maximize' ? ['#c6dbef', '#08306b'] : ['#08306b', '#c6dbef'] },
      right: 4,
      top: 'middle',
      itemHeight: 120,
      precision: 3,
      calculable: true,
      text: [goal === 'maximize' ? 'better' : 'worse', goal === 'maximize' ? 'worse' : 'better'],
    },
    tooltip: { trigger: 'item', formatter: (p: { name: string }) => p.name },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 1.2, opacity: 0.6 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        data: scored.map((t) => ({
          name: `${t.label} · ${metricName} ${t.objective!.toPrecision(4)}`,
          value: [
            ...axes.map((a) => {
              const v = t.params[a.name];
              if (a.kind === 'category') return v === undefined ? '—' : String(v);
              return typeof v === 'number' ? v : '-';
            }),
            t.objective,
          ],
          lineStyle: { opacity: t.status === 'pruned' ? 0.2 : 0.6 },
        })),
      },
    ],
  };
}

export interface ParetoPoint {
  label: string;
  x: number;
  y: number;
  /** On the sweep's Pareto front (over all its objectives, not only the two drawn). */
  onFront: boolean;
  /** Off an outcome constraint: drawn apart, never on the front. */
  infeasible?: boolean;
}

/** Which points are on the Pareto front (rank 0) of two objectives. */
export function paretoFront(
  points: { x: number; y: number }[],
  goals: [MetricGoal, MetricGoal],
): boolean[] {
  const ranks = nonDominatedRanks(
    points.map((p) => [p.x, p.y]),
    goals,
  );
  return ranks.map((r) => r === 0);
}

/**
 * Every trial as a dot, the front's trials highlighted. With exactly two objectives the front
 * is also drawn as a line in x order; with more, a 2-D view of it is not a line.
 */
export function paretoOption(
  points: ParetoPoint[],
  names: [string, string],
  goals: [MetricGoal, MetricGoal],
  opts: { connect: boolean },
) {
  const front = points.filter((p) => p.onFront).sort((a, b) => a.x - b.x);
  const toItem = (p: ParetoPoint) => ({ name: p.label, value: [p.x, p.y] });
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 36, bottom: 48 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: [number, number] }) =>
        `${p.name}<br/>${names[0]} ${p.value[0].toPrecision(4)}<br/>${names[1]} ${p.value[1].toPrecision(4)}`,
    },
    xAxis: {
      type: 'value',
      name: `${names[0]} (${goals[0]})`,
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
    },
    yAxis: { type: 'value', name: `${names[1]} (${goals[1]})`, scale: true },
    series: [
      {
        type: 'scatter',
        name: 'trials',
        data: points.filter((p) => !p.onFront && !p.infeasible).map(toItem),
        itemStyle: { color: '#9aa7b4' },
        symbolSize: 7,
      },
      {
        type: opts.connect ? 'line' : 'scatter',
        name: 'Pareto front',
        data: front.map(toItem),
        symbolSize: 9,
        itemStyle: { color: '#c0392b' },
        lineStyle: { type: 'dashed' },
        z: 5,
      },
      ...(points.some((p) => p.infeasible)
        ? [
            {
              type: 'scatter',
              name: 'infeasible',
              data: points.filter((p) => p.infeasible).map(toItem),
              symbol: 'emptyCircle',
              itemStyle: { color: '#e67e22' },
              symbolSize: 7,
            },
          ]
        : []),
    ],
  };
}
