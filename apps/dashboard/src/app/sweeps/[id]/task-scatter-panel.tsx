'use client';

import { taskMetricName } from '@retune/core';
import { useMemo, useState } from 'react';
import { paretoOption } from '../../../lib/chart-options';
import { SCATTER_KINDS, taskScatterPoints } from '../../../lib/task-metrics';
import { EChart } from '../../../components/echart';
import { EmptyState } from '../../../components/empty-state';

interface Props {
  tasks: string[];
  /** Finished trials' final values. */
  trials: { id: string; number: number; values: Record<string, number> }[];
  /** The sweep's Pareto front over its objectives, when it has several (else empty). */
  frontTrialIds: string[];
}

/** Final metrics of one task against another, one point per trial: where the tasks trade off. */
export function TaskScatterPanel({ tasks, trials, frontTrialIds }: Props) {
  const [kindIndex, setKindIndex] = useState(0);
  const [a, setA] = useState(tasks[0]!);
  const [b, setB] = useState(tasks[1]!);
  const { kind, goal } = SCATTER_KINDS[kindIndex]!;
  const front = useMemo(() => new Set(frontTrialIds), [frontTrialIds]);
  const points = useMemo(
    () => taskScatterPoints(trials, kind, [a, b], front),
    [trials, kind, a, b, front],
  );
  const names: [string, string] = [taskMetricName(kind, a), taskMetricName(kind, b)];
  const [x, y] = names;
  const option = useMemo(
    () => paretoOption(points, [x, y], [goal, goal], { connect: false }),
    [points, x, y, goal],
  );
  const pick = (value: string, set: (t: string) => void, label: string) => (
    <label className="inline-field">
      {label}{' '}
      <select value={value} onChange={(e) => set(e.target.value)}>
        {tasks.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="panel">
      <div className="panel-head">
        <h2>Task against task</h2>
        <label className="inline-field">
          Metric{' '}
          <select value={kindIndex} onChange={(e) => setKindIndex(Number(e.target.value))}>
            {SCATTER_KINDS.map((k, i) => (
              <option key={k.kind} value={i}>
                {k.kind}
              </option>
            ))}
          </select>
        </label>
        {pick(a, setA, 'x')}
        {pick(b, setB, 'y')}
        <span className="hint">
          one point per trial
          {frontTrialIds.length > 0 ? '; red: on the sweep’s Pareto front' : ''}
        </span>
      </div>
      {points.length === 0 ? (
        <EmptyState>
          No trial has reported both {names[0]} and {names[1]} yet.
        </EmptyState>
      ) : (
        <EChart option={option} label={`${names[1]} against ${names[0]} per trial`} />
      )}
    </div>
  );
}
