'use client';

import type { MetricGoal } from '@retune/core';
import { useMemo } from 'react';
import { parallelAxes, parallelOption, type ParallelTrial } from '../../../lib/chart-options';
import { EChart } from '../../../components/echart';

interface Props {
  searchSpace: Record<string, { type: string; values?: unknown[]; log?: boolean }>;
  trials: ParallelTrial[];
  metricName: string;
  goal: MetricGoal;
}

/** Parameters → objective: one polyline per scored trial, coloured by the objective. */
export function ParallelCoordinates({ searchSpace, trials, metricName, goal }: Props) {
  const option = useMemo(
    () => parallelOption(parallelAxes(searchSpace, trials), trials, metricName, goal),
    [searchSpace, trials, metricName, goal],
  );
  return (
    <EChart
      option={option}
      height={340}
      label={`parallel coordinates of ${Object.keys(searchSpace).length} parameters against ${metricName}`}
    />
  );
}
