import { TRPCError } from '@trpc/server';
import Link from 'next/link';
import { CompareCurves } from '../../components/compare-curves';
import { StatusBadge } from '../../components/status-badge';
import { parseTrialIds } from '../../lib/compare-export';
import { formatDuration, formatValue } from '@retune/core';
import { serverCaller } from '../../server/context';
import { EmptyState } from '../../components/empty-state';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

async function load(ids: string[]) {
  try {
    return { comparison: await serverCaller().compare.trials({ trialIds: ids }), error: null };
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) {
      return { comparison: null, error: err.message };
    }
    throw err;
  }
}

/** Best of a row of numbers for a goal: its index, or -1 when there is nothing to compare. */
function bestIndex(values: (number | undefined)[], goal: 'maximize' | 'minimize'): number {
  let best = -1;
  values.forEach((v, i) => {
    if (v === undefined || !Number.isFinite(v)) return;
    const b = best < 0 ? undefined : values[best];
    if (b === undefined || (goal === 'maximize' ? v > b : v < b)) best = i;
  });
  return values.filter((v) => v !== undefined).length > 1 ? best : -1;
}

export default async function ComparePage({ searchParams }: { searchParams: Search }) {
  const ids = parseTrialIds((await searchParams).trials);
  if (ids.length === 0) {
    return (
      <section>
        <h1>Compare trials</h1>
        <EmptyState>
          Tick trials in a sweep&apos;s trials table (from one sweep or several) and press{' '}
          <strong>Compare</strong>. The address of this page then names them, so it can be shared.
        </EmptyState>
      </section>
    );
  }
  const { comparison: c, error } = await load(ids);
  if (!c) {
    return (
      <section>
        <h1>Compare trials</h1>
        <p className="error-box">{error}</p>
      </section>
    );
  }
  const label = (t: (typeof c.trials)[number]) =>
    new Set(c.trials.map((x) => x.sweepId)).size > 1
      ? `${t.sweepName} #${t.number}`
      : `#${t.number}`;
  const query = encodeURIComponent(ids.join(','));
  const differing = new Set(c.differingParams);
  const curveMetrics = c.metrics.filter((m) => c.trials.some((t) => t.curves[m]));
  const finalMetrics = c.metrics.filter((m) => c.trials.some((t) => m in t.values));
  const without = (id: string) => ids.filter((x) => x !== id).join(',');
  return (
    <section>
      <div className="title-row">
        <h1>Compare {c.trials.length} trials</h1>
        <div className="actions">
          <a className="button" href={`/compare/export?trials=${query}&format=csv`} download>
            Export CSV
          </a>
          <a className="button" href={`/compare/export?trials=${query}&format=json`} download>
            Export JSON
          </a>
        </div>
      </div>

      <div className="table-wrap">
        <table className="table compare">
          <thead>
            <tr>
              <th scope="col">Trial</th>
              {c.trials.map((t) => (
                <th key={t.id} scope="col">
                  <Link href={`/trials/${encodeURIComponent(t.id)}`}>{label(t)}</Link>
                  <div className="sub">
                    <Link href={`/sweeps/${t.sweepId}`}>{t.sweepName}</Link>
                  </div>
                  {c.trials.length > 1 && (
                    <Link
                      className="remove-link"
                      href={`/compare?trials=${encodeURIComponent(without(t.id))}`}
                      aria-label={`remove ${label(t)} from the comparison`}
                    >
                      remove
                    </Link>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Status</th>
              {c.trials.map((t) => (
                <td key={t.id}>
                  <StatusBadge status={t.status} />
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Objective</th>
              {c.trials.map((t) => (
                <td key={t.id} className="num strong">
                  {t.metricName} {formatValue(t.objective)}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Duration</th>
              {c.trials.map((t) => (
                <td key={t.id} className="num">
                  {formatDuration(t.durationMs)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>

      <h2>Parameters</h2>
      <p className="hint">
        Rows marked “differs” are the parameters that are not the same in every trial.
      </p>
      <div className="table-wrap">
        <table className="table compare">
          <tbody>
            {c.params.map((p) => (
              <tr key={p} className={differing.has(p) ? 'diff' : undefined}>
                <th scope="row">
                  {p}
                  {differing.has(p) && <span className="diff-tag">differs</span>}
                </th>
                {c.trials.map((t) => (
                  <td key={t.id} className="num">
                    {formatValue(t.params[p])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Final metrics</h2>
      <div className="table-wrap">
        <table className="table compare">
          <tbody>
            {finalMetrics.map((m) => {
              const row = c.trials.map((t) => t.values[m]);
              const goal = c.trials[0]!.metricName === m ? c.trials[0]!.metricGoal : undefined;
              const best = goal ? bestIndex(row, goal) : -1;
              return (
                <tr key={m}>
                  <th scope="row">{m}</th>
                  {row.map((v, i) => (
                    <td
                      key={c.trials[i]!.id}
                      className={`num${i === best ? ' strong best-cell' : ''}`}
                    >
                      {formatValue(v)}
                      {i === best && <span className="visually-hidden"> (best)</span>}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h2>Curves</h2>
      {curveMetrics.length === 0 ? (
        <EmptyState>These trials reported no per-epoch metrics.</EmptyState>
      ) : (
        <div className="chart-grid">
          {curveMetrics.map((m) => (
            <CompareCurves
              key={m}
              metric={m}
              trials={c.trials.map((t) => ({
                id: t.id,
                label: label(t),
                status: t.status,
                curve: t.curves[m],
              }))}
            />
          ))}
        </div>
      )}
    </section>
  );
}
