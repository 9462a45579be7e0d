import type { ReactNode } from 'react';
import { EmptyState } from './empty-state';

export interface Column<T> {
  header: ReactNode;
  /** `num` right-aligns numbers. */
  className?: string;
  cell: (row: T) => ReactNode;
}

/** A list page's table: one row per item, or the empty state when there is none. */
export function DataTable<T>({
  rows,
  rowKey,
  columns,
  empty,
  label,
}: {
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  empty: ReactNode;
  label?: string;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i}>{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c, i) => (
                <td key={i} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
