'use client';

import type { MetricGoal } from '@retune/core';
import { useMemo } from 'react';
import { paramEffectOption, paramEffects, type EffectTrial } from '../../../lib/param-effect';
import { EChart } from '../../../components/echart';

interface Props {
  searchSpace: Record<string, { type: string; values?: unknown[] }>;
  trials: EffectTrial[];
  metricName: string;
  goal: MetricGoal;
}

/** The metric against freeze depth and against images per class, when the sweep varies them. */
export function ParamEffectCharts({ searchSpace, trials, metricName, goal }: Props) {
  const effects = useMemo(
    () => paramEffects(trials, searchSpace, goal),
    [trials, searchSpace, goal],
  );
  return effects.map((effect) => (
    <div className="panel" key={effect.param}>
      <div className="panel-head">
        <h2>{`${metricName} by ${effect.title}`}</h2>
      </div>
      <EChart
        option={paramEffectOption(effect, metricName)}
        height={280}
        label={`${metricName} against ${effect.param}: the best trial per value, every trial as a dot`}
      />
    </div>
  ));
}
