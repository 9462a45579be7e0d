'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatDuration, formatValue } from '@retune/core';
import type { SortDir } from '../../../lib/trial-sort';
import { useCompareSelection } from './compare-selection';
import { InfeasibleBadge, StatusBadge } from '../../../components/status-badge';
import { TablePager, TABLE_PAGE } from './table-pager';
import { SERVER_SORT_KEYS, useTrialPage, type TrialPage } from './use-trial-page';

interface Props {
  sweepId: string;
  /** Page one in trial-number order, rendered on the server (refreshed with the page). */
  firstPage: TrialPage;
  paramNames: string[];
  metricName: string;
  bestTrialId: string | null;
}

/**
 * Sortable, paged trials table (useTrialPage: a large sweep sorts and pages on the server);
 * checked trials (from this or other sweeps) open on the Compare page.
 */
export function TrialsTable({ sweepId, firstPage, paramNames, metricName, bestTrialId }: Props) {
  const router = useRouter();
  const [sort, setSort] = useState<{ key: string; dir: SortDir }>({ key: 'number', dir: 'asc' });
  const [page, setPage] = useState(0);
  const { total, trials, local } = useTrialPage(sweepId, firstPage, sort, page);
  const pages = Math.max(1, Math.ceil(total / TABLE_PAGE));
  const { selected, toggle, clear } = useCompareSelection();
  const here = new Set(trials.map((t) => t.id));
  const elsewhere = selected.filter((id) => !here.has(id)).length;

  const header = (key: string, label: string) => {
    const active = sort.key === key;
    if (!local && !SERVER_SORT_KEYS.includes(key)) return <th key={key}>{label}</th>;
    return (
      <th aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button
          type="button"
          className="sort"
          onClick={() => {
            setPage(0);
            setSort({
              key,
              dir: active
                ? sort.dir === 'asc'
                  ? 'desc'
                  : 'asc'
                : key === 'objective'
                  ? 'desc'
                  : 'asc',
            });
          }}
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
            {trials.map((t) => (
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
      <TablePager page={page} pages={pages} total={total} setPage={setPage} />
    </>
  );
}
