'use client';

import type { TrialView } from '@retune/core';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { formatDuration, formatValue } from '@retune/core';
import { sortTrials, type SortDir } from '../../../lib/trial-sort';
import { useCompareSelection } from './compare-selection';
import { InfeasibleBadge, StatusBadge } from '../../../components/status-badge';
import { TablePager, usePage } from './table-pager';

interface Props {
  trials: TrialView[];
  paramNames: string[];
  metricName: string;
  bestTrialId: string | null;
}

/** Sortable trials table; checked trials (from this or other sweeps) open on the Compare page. */
export function TrialsTable({ trials, paramNames, metricName, bestTrialId }: Props) {
  const router = useRouter();
  const [sort, setSort] = useState<{ key: string; dir: SortDir }>({ key: 'number', dir: 'asc' });
  const { selected, toggle, clear } = useCompareSelection();
  const rows = useMemo(() => sortTrials(trials, sort.key, sort.dir), [trials, sort]);
  const paged = usePage(rows);
  const here = new Set(trials.map((t) => t.id));
  const elsewhere = selected.filter((id) => !here.has(id)).length;

  const header = (key: string, label: string) => {
    const active = sort.key === key;
    return (
      <th aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button
          type="button"
          className="sort"
          onClick={() =>
            setSort({
              key,
              dir: active
                ? sort.dir === 'asc'
                  ? 'desc'
                  : 'asc'
                : key === 'objective'
                  ? 'desc'
                  : 'asc',
            })
          }
        >
          {label}
          <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <>
      <div className="table-tools">
        <button
          type="button"
          className="button primary"
          disabled={selected.length < 1}
          onClick={() =>
            router.push(`/compare?trials=${selected.map(encodeURIComponent).join(',')}`)
          }
        >
          Compare{' '}
          {selected.length > 0 ? `${selected.length} trial${selected.length > 1 ? 's' : ''}` : ''}
        </button>
        {selected.length > 0 && (
          <button type="button" className="button" onClick={clear}>
            Clear selection
          </button>
        )}
        <span className="hint">
          {elsewhere > 0
            ? `${elsewhere} picked on other sweep pages`
            : 'tick trials to compare them (across sweeps too)'}
        </span>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>
                <span className="visually-hidden">Compare</span>
              </th>
              {header('number', '#')}
              {header('status', 'Status')}
              {paramNames.map((p) => header(`param:${p}`, p))}
              {header('objective', metricName)}
              {header('duration', 'Duration')}
              {header('worker', 'Worker / slot')}
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {paged.shown.map((t) => (
              <tr key={t.id} className={t.id === bestTrialId ? 'best' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`compare trial ${t.number}`}
                    checked={selected.includes(t.id)}
                    onChange={(e) => toggle(t.id, e.target.checked)}
                  />
                </td>
                <td className="num">
                  <Link href={`/trials/${encodeURIComponent(t.id)}`}>{t.number}</Link>
                  {t.id === bestTrialId && (
                    <span className="star" title="best trial">
                      {' '}
                      ★
                    </span>
                  )}
                </td>
                <td>
                  <StatusBadge status={t.status} />
                  {t.infeasible && (
                    <>
                      {' '}
                      <InfeasibleBadge />
                    </>
                  )}
                </td>
                {paramNames.map((p) => (
                  <td key={p} className="num">
                    {formatValue(t.params[p])}
                  </td>
                ))}
                <td className="num strong">{formatValue(t.objective)}</td>
                <td className="num">{formatDuration(t.durationMs)}</td>
                <td>{t.worker ? `${t.worker} / ${t.slot ?? '—'}` : '—'}</td>
                <td className="error-cell" title={t.error ?? undefined}>
                  {t.error ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TablePager {...paged} total={rows.length} />
    </>
  );
}
