'use client';

import type { TrialStatus } from '@retune/core';
import { useMemo } from 'react';
import { curvesOption } from '../lib/chart-options';
import { EChart } from './echart';

interface Props {
  metric: string;
  trials: {
    id: string;
    label: string;
    status: TrialStatus;
    curve: { epochs: number[]; values: number[] } | undefined;
  }[];
}

/** One metric of the compared trials, overlaid, with a legend naming each trial. */
export function CompareCurves({ metric, trials }: Props) {
  const option = useMemo(
    () =>
      curvesOption(
        trials.flatMap((t) =>
          t.curve ? [{ trialId: t.id, label: t.label, status: t.status, ...t.curve }] : [],
        ),
        metric,
        { legend: true },
      ),
    [metric, trials],
  );
  return (
    <div className="panel">
      <div className="panel-head">
        <h3>{metric}</h3>
      </div>
      <EChart
        option={option}
        height={260}
        label={`${metric} per epoch of ${trials.length} trials`}
      />
    </div>
  );
}
