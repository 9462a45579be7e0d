'use client';

import { taskMetricName, type TaskMetricKind } from '@retune/core';
import { useEffect, useMemo, useState } from 'react';
import { curvesOption, type CurveInput } from '../../../lib/chart-options';
import { TASK_CURVE_KINDS } from '../../../lib/task-metrics';
import { trpc } from '../../../lib/trpc-client';
import { errorText } from '../../../lib/use-action';
import { EChart } from '../../../components/echart';
import { EmptyState } from '../../../components/empty-state';
import type { CurveTrialMeta } from './learning-curves';

type Curves = { trialId: string; epochs: number[]; values: number[] }[];

interface Props {
  sweepId: string;
  tasks: string[];
  trials: CurveTrialMeta[];
}

/** A multi-task sweep's curves side by side, one chart per task, every trial in each. */
export function TaskCurvesPanel({ sweepId, tasks, trials }: Props) {
  const [kind, setKind] = useState<TaskMetricKind>('val_acc');
  const [loaded, setLoaded] = useState<Record<string, Curves>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all(
      tasks.map((t) => trpc.sweep.curves.query({ id: sweepId, metric: taskMetricName(kind, t) })),
    )
      .then((all) => {
        if (!live) return;
        setLoaded(Object.fromEntries(all.map((c, i) => [tasks[i]!, c.curves])));
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [sweepId, tasks, kind]);

  const meta = useMemo(() => new Map(trials.map((t) => [t.id, t])), [trials]);
  const options = useMemo(
    () =>
      tasks.map((task) => {
        const input: CurveInput[] = (loaded[task] ?? []).flatMap((c) => {
          const t = meta.get(c.trialId);
          return t ? [{ ...c, label: `#${t.number}`, status: t.status }] : [];
        });
        return {
          task,
          count: input.length,
          option: curvesOption(input, taskMetricName(kind, task)),
        };
      }),
    [tasks, loaded, meta, kind],
  );

  return (
    <div className="panel">
      <div className="panel-head">
        <h2>Per-task curves</h2>
        <label className="inline-field">
          Metric{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as TaskMetricKind)}>
            {TASK_CURVE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="error-text">{error}</p>}
      {options.map(({ task, count, option }) => (
        <div key={task}>
          <h3>{task}</h3>
          {count === 0 ? (
            <EmptyState>No {taskMetricName(kind, task)} points reported yet.</EmptyState>
          ) : (
            <EChart
              option={option}
              height={220}
              label={`${taskMetricName(kind, task)} per epoch for ${count} trials`}
            />
          )}
        </div>
      ))}
    </div>
  );
}
