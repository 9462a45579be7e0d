'use client';

import { TABLE_PAGE } from '../../../lib/page-slice';

export { TABLE_PAGE };

/** Previous / next buttons with "rows a–b of n"; renders nothing for a single page. */
export function TablePager(props: {
  page: number;
  pages: number;
  total: number;
  size?: number;
  setPage: (page: number) => void;
}) {
  const { page, pages, total, setPage } = props;
  const size = props.size ?? TABLE_PAGE;
  if (pages <= 1) return null;
  return (
    <nav className="filters" aria-label="Trial pages">
      <button
        type="button"
        className="button"
        disabled={page === 0}
        onClick={() => setPage(page - 1)}
      >
        Previous
      </button>
      <span>
        {page * size + 1}–{Math.min(total, (page + 1) * size)} of {total}
      </span>
      <button
        type="button"
        className="button"
        disabled={page >= pages - 1}
        onClick={() => setPage(page + 1)}
      >
        Next
      </button>
    </nav>
  );
}
