'use client';

import type { TrialStatus } from '@retune/core';
import { useEffect, useMemo, useState } from 'react';
import { curvesOption, type CurveInput } from '../../../lib/chart-options';
import { trpc } from '../../../lib/trpc-client';
import { errorText } from '../../../lib/use-action';
import { EChart } from '../../../components/echart';
import { EmptyState } from '../../../components/empty-state';

export interface CurveTrialMeta {
  id: string;
  number: number;
  status: TrialStatus;
}

interface Props {
  sweepId: string;
  /** The objective's curves, loaded with the page. */
  initial: {
    metricName: string;
    curves: { trialId: string; epochs: number[]; values: number[] }[];
  };
  trials: CurveTrialMeta[];
  /** Metrics the trials reported (final values), offered in the metric menu. */
  metrics: string[];
}

/** Every trial's learning curve; hover one to bring it forward, pruned ones are dimmed. */
export function LearningCurves({ sweepId, initial, trials, metrics }: Props) {
  const [metric, setMetric] = useState(initial.metricName);
  const [loaded, setLoaded] = useState(initial);
  const [hover, setHover] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The page re-renders with fresh objective curves while the sweep runs.
  useEffect(() => {
    if (metric === initial.metricName) setLoaded(initial);
  }, [initial, metric]);

  useEffect(() => {
    if (metric === initial.metricName) return;
    let live = true;
    trpc.sweep.curves
      .query({ id: sweepId, metric })
      .then((c) => live && (setLoaded(c), setError(null)))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [sweepId, metric, initial.metricName]);

  const meta = useMemo(() => new Map(trials.map((t) => [t.id, t])), [trials]);
  const byLabel = useMemo(() => new Map(trials.map((t) => [`#${t.number}`, t])), [trials]);
  const option = useMemo(() => {
    const input: CurveInput[] = loaded.curves.flatMap((c) => {
      const t = meta.get(c.trialId);
      return t ? [{ ...c, label: `#${t.number}`, status: t.status }] : [];
    });
    return curvesOption(input, loaded.metricName, { legend: false });
  }, [loaded, meta]);

  return (
    <div className="panel">
      <div className="panel-head">
        <h2>Learning curves</h2>
        <label className="inline-field">
          Metric{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value)}>
            {[...new Set([initial.metricName, ...metrics])].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <span className="hint" aria-live="polite">
          {hover
            ? `trial ${hover} — ${byLabel.get(hover)?.status ?? ''}`
            : 'hover a line to pick out one trial; dashed lines are pruned trials'}
        </span>
      </div>
      {error && <p className="error-text">{error}</p>}
      {loaded.curves.length === 0 ? (
        <EmptyState>No {loaded.metricName} points reported yet.</EmptyState>
      ) : (
        <EChart
          option={option}
          label={`${loaded.metricName} per epoch for ${loaded.curves.length} trials`}
          onHoverSeries={setHover}
        />
      )}
    </div>
  );
}
