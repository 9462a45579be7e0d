import { formatTime, SWEEP_STATUSES, sweepStatusSchema } from '@retune/core';
import Link from 'next/link';
import { AutoRefresh } from '../components/auto-refresh';
import { DataTable } from '../components/data-table';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { formatDuration, formatGpuHours, formatValue, isLiveSweep } from '@retune/core';
import { elapsedMs } from '../lib/format';
import { serverCaller } from '../server/context';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const PAGE = 100;

/** The list's URL with the same filter, from the newest sweep or after the sweep `after`. */
function listHref(filter: { status?: string; search?: string }, after?: string): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.search) params.set('q', filter.search);
  if (after) params.set('after', after);
  return params.size > 0 ? `/?${params}` : '/';
}

export default async function SweepsPage({ searchParams }: { searchParams: Search }) {
  const query = await searchParams;
  const status = sweepStatusSchema.safeParse(first(query.status)).data;
  const search = first(query.q)?.trim().slice(0, 120) || undefined;
  const after = first(query.after)?.slice(0, 200) || undefined;
  const sweeps = await serverCaller().sweep.list({ limit: PAGE, status, search, after });
  const now = Date.now();
  const filtered = Boolean(status || search || after);
  return (
    <section>
      {sweeps.some((s) => isLiveSweep(s.status)) && <AutoRefresh />}
      <div className="title-row">
        <h1>Sweeps</h1>
        <Link href="/sweeps/new" className="button primary">
          New sweep
        </Link>
      </div>
      {/* A plain GET form: the filter lives in the URL, so it can be shared and bookmarked. */}
      <form className="filters" method="get" action="/" role="search">
        <label>
          Status{' '}
          <select name="status" defaultValue={status ?? ''}>
            <option value="">any</option>
            {SWEEP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name{' '}
          <input type="search" name="q" defaultValue={search ?? ''} placeholder="part of a name" />
        </label>
        <button type="submit" className="button">
          Filter
        </button>
        {filtered && (
          <Link href="/" className="button">
            Clear
          </Link>
        )}
      </form>
      <DataTable
        rows={sweeps}
        rowKey={(s) => s.id}
        empty={
          filtered ? (
            'No sweep matches this filter.'
          ) : (
            <>
              No sweeps yet — <Link href="/sweeps/new">start one</Link> or run{' '}
              <code>npm run retune -- sweep launch examples/demo-sweep.yaml</code>
            </>
          )
        }
        columns={[
          {
            header: 'Name',
            cell: (s) => (
              <>
                <Link href={`/sweeps/${s.id}`}>{s.name}</Link>
                <div className="sub">{s.id}</div>
              </>
            ),
          },
          { header: 'Status', cell: (s) => <StatusBadge status={s.status} /> },
          {
            header: 'Progress',
            cell: (s) => <ProgressBar counts={s.counts} planned={s.plannedTrials} />,
          },
          {
            header: 'Best',
            className: 'num',
            cell: (s) =>
              s.bestValue === null ? '—' : `${s.metricName} ${formatValue(s.bestValue)}`,
          },
          { header: 'Algorithm', cell: (s) => s.algorithm },
          // Shown once a sweep on the page has a GPU-time budget.
          ...(sweeps.some((s) => s.gpuHoursBudget != null)
            ? [
                {
                  header: 'GPU time',
                  className: 'num',
                  cell: (s: (typeof sweeps)[number]) =>
                    s.gpuHoursBudget == null
                      ? '—'
                      : formatGpuHours(s.gpuSecondsUsed ?? 0, s.gpuHoursBudget),
                },
              ]
            : []),
          { header: 'Started', cell: (s) => formatTime(s.startedAt) },
          {
            header: 'Elapsed',
            className: 'num',
            cell: (s) => formatDuration(elapsedMs(s.startedAt, s.finishedAt, now)),
          },
        ]}
      />
      {(after || sweeps.length === PAGE) && (
        <nav className="filters" aria-label="Pages">
          {after && (
            <Link href={listHref({ status, search })} className="button">
              Newest
            </Link>
          )}
          {sweeps.length === PAGE && (
            <Link href={listHref({ status, search }, sweeps.at(-1)!.id)} className="button">
              Older sweeps
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
