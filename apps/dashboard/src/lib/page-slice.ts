/** Rows per page of a long table (a 10,000-trial sweep shows 100 rows, not all). */
export const TABLE_PAGE = 100;

/** Page `page` (0-based, clamped into range) of `rows`, `size` rows a page, and the page count. */
export function pageSlice<T>(
  rows: T[],
  page: number,
  size: number,
): { shown: T[]; page: number; pages: number } {
  if (!Number.isInteger(size) || size < 1) throw new Error(`page size must be ≥ 1, got ${size}`);
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { shown: rows.slice(current * size, (current + 1) * size), page: current, pages };
}
