'use client';

import type { MetricGoal } from '@retune/core';
import { useMemo, useState } from 'react';
import { paretoOption, type ParetoPoint } from '../../../lib/chart-options';
import { EChart } from '../../../components/echart';

interface Props {
  /** The sweep metric first, then the spec's extra objectives. */
  objectives: { name: string; goal: MetricGoal }[];
  /** Completed trials' objective values, `onFront` over all objectives. */
  points: { number: number; values: number[]; onFront: boolean; infeasible?: boolean }[];
}

/** A multi-objective sweep's trade-off: the sweep metric against one other objective. */
export function ParetoPanel({ objectives, points }: Props) {
  const [k, setK] = useState(1);
  const option = useMemo(() => {
    const pts: ParetoPoint[] = points.map((p) => ({
      label: `#${p.number}`,
      x: p.values[0]!,
      y: p.values[k]!,
      onFront: p.onFront,
      infeasible: p.infeasible ?? false,
    }));
    const [a, b] = [objectives[0]!, objectives[k]!];
    return paretoOption(pts, [a.name, b.name], [a.goal, b.goal], {
      connect: objectives.length === 2,
    });
  }, [objectives, points, k]);
  const front = points.filter((p) => p.onFront).length;
  const infeasible = points.filter((p) => p.infeasible).length;
  return (
    <div className="panel">
      <div className="panel-head">
        <h2>Pareto front</h2>
        {objectives.length > 2 && (
          <label className="inline-field">
            against{' '}
            <select value={k} onChange={(e) => setK(Number(e.target.value))}>
              {objectives.slice(1).map((o, i) => (
                <option key={o.name} value={i + 1}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="hint">
          {front} of {points.length} trials are on the front (no other feasible trial beats them on
          every objective)
          {infeasible > 0 && `; ${infeasible} infeasible (off a constraint) are not`}
        </span>
      </div>
      <EChart
        option={option}
        label={`Pareto front of ${objectives[0]!.name} against ${objectives[k]!.name}`}
      />
    </div>
  );
}
